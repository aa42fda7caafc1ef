//! Responsible persons' pages: the list with its filters, the county's phone-display setting,
//! the form, XLSX export, and the public 公示 page of one township (no login).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use platform::access::perm;
use platform::error::{AppError, AppResult};
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query};
use platform::web::paging::{PageOf, Paging, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{self, ObjectKind, PersonRole, PhoneDisplay};
use super::store::{
    self, DisplayInput, DisplaySetting, Person, PersonFilter, PersonInput, VoidInput,
};
use crate::rosters::store::is_writer;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/duty/responsible", get(list_page))
        .route("/duty/responsible/new", get(new_page).post(create))
        .route("/duty/responsible/export", get(export))
        .route("/duty/responsible/display", post(set_display))
        .route("/duty/responsible/{id}/edit", get(edit_page).post(update))
        .route("/duty/responsible/{id}/void", post(void))
        .route("/public/responsible/{township}", get(public_page))
        .merge(super::import::router())
}

type Codes = Vec<(&'static str, &'static str)>;

fn this_year(state: &AppState) -> i32 {
    crate::rosters::model::local_day(state.now()).year()
}

#[derive(Template, WebTemplate)]
#[template(path = "responsible/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: PersonFilter,
    page: PageOf<Person>,
    townships: Vec<Region>,
    kinds: Codes,
    roles: Codes,
    displays: Codes,
    display: DisplaySetting,
    may_set_display: bool,
    may_edit: bool,
    query: String,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/duty/responsible/export?{}", self.query)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn display_is(&self, code: &str) -> bool {
        self.display.phone_display.code() == code
    }
}

async fn townships(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<Region>> {
    Ok(
        platform::regions::store::in_scope(&state.db, &ctx.actor.scope())
            .await?
            .into_iter()
            .filter(|r| model::place_of(&r.code) == Some(model::Place::Township))
            .collect(),
    )
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<PersonFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    let page = store::list(&state.db, &ctx.actor, &filter, paging).await?;
    let display = store::get_display(&state.db, &ctx.actor).await?;
    Ok(ListPage {
        townships: townships(&state, &ctx).await?,
        may_set_display: is_writer(&ctx.actor),
        may_edit: ctx.actor.can(perm::DUTY_EDIT),
        ctx,
        filter,
        page,
        kinds: ObjectKind::options(),
        roles: PersonRole::options(),
        displays: PhoneDisplay::options(),
        display,
        query: query.unwrap_or_default(),
    })
}

async fn set_display(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<DisplayInput>,
) -> AppResult<Response> {
    match store::set_display(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/responsible?done=saved").into_response()),
        Err(err @ (AppError::Forbidden | AppError::Unauthorized | AppError::NotFound)) => Err(err),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let message = errors.fields.values().next().cloned().or(errors.message);
            Err(AppError::conflict(
                "display_refused",
                message.unwrap_or_default(),
            ))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "responsible/form.html")]
struct FormPage {
    ctx: PageCtx,
    id: Option<Uuid>,
    input: PersonInput,
    errors: FormErrors,
    regions: Vec<Region>,
    kinds: Codes,
    roles: Codes,
}

impl FormPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/duty/responsible/{id}/edit"),
            None => "/duty/responsible/new".to_string(),
        }
    }

    fn indent(&self, r: &Region) -> &'static str {
        match model::place_of(&r.code) {
            Some(model::Place::Village) => "\u{3000}",
            _ => "",
        }
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    id: Option<Uuid>,
    input: PersonInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let status = match errors.message {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let regions = platform::regions::store::in_scope(&state.db, &ctx.actor.scope())
        .await?
        .into_iter()
        .filter(|r| model::place_of(&r.code).is_some())
        .collect();
    let page = FormPage {
        ctx,
        id,
        input,
        errors,
        regions,
        kinds: ObjectKind::options(),
        roles: PersonRole::options(),
    };
    Ok((status, page).into_response())
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    ctx.actor.require(perm::DUTY_EDIT)?;
    let input = PersonInput {
        kind: ObjectKind::Township.code().into(),
        role: PersonRole::Administrative.code().into(),
        year: Some(this_year(&state).to_string()),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<PersonInput>,
) -> AppResult<Response> {
    match store::create(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/responsible?done=created").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            form_page(&state, ctx, None, input, errors).await
        }
    }
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    ctx.actor.require(perm::DUTY_EDIT)?;
    let p = store::get(&state.db, &ctx.actor, id).await?;
    let input = PersonInput {
        kind: p.kind.code().into(),
        object_name: p.object_name,
        region_code: p.region_code,
        role: p.role.code().into(),
        name: p.name,
        post: p.post,
        phone: p.phone,
        year: Some(p.year.to_string()),
        contact_id: p.contact_id.map(|c| c.to_string()),
        version: Some(p.version),
    };
    form_page(&state, ctx, Some(id), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<PersonInput>,
) -> AppResult<Response> {
    match store::update(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/responsible?done=saved").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            form_page(&state, ctx, Some(id), input, errors).await
        }
    }
}

async fn void(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VoidInput>,
) -> AppResult<Response> {
    store::void(&state, &ctx.actor, id, &input).await?;
    Ok(Redirect::to("/duty/responsible?done=voided").into_response())
}

fn export_row(p: &Person) -> Vec<String> {
    vec![
        p.year.to_string(),
        p.kind_label().to_string(),
        p.object_name.clone().unwrap_or_default(),
        p.township_name.clone(),
        p.village().to_string(),
        p.role_label().to_string(),
        p.name.clone(),
        p.post_text().to_string(),
        p.phone.clone(),
    ]
}

/// The filtered persons as XLSX, in the import template's columns (up to 10 000).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<PersonFilter>,
) -> AppResult<Response> {
    let persons = store::all(&state.db, &ctx.actor, &filter, 10_000).await?;
    let rows: Vec<Vec<String>> = persons.iter().map(export_row).collect();
    let bytes = xlsx::workbook("责任人", &super::import::HEADERS, &rows)?;
    Ok(xlsx::download("责任人名单.xlsx", bytes))
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "responsible/public.html")]
struct PublicPage {
    p: store::Publication,
    groups: Vec<(ObjectKind, Vec<Person>)>,
}

impl PublicPage {
    fn phone(&self, person: &Person) -> String {
        model::shown_phone(&person.phone, self.p.display)
    }

    /// Whether people can read the numbers to call (the county chose full numbers).
    fn phones_shown(&self) -> bool {
        self.p.display == PhoneDisplay::Full
    }

    fn year_text(&self) -> String {
        self.p.year.map(|y| format!("{y}年")).unwrap_or_default()
    }

    fn is_year(&self, y: &i32) -> bool {
        self.p.year == Some(*y)
    }
}

/// 公示: one township's responsible persons, readable without a login at a stable address.
async fn public_page(
    State(state): State<AppState>,
    Path(township): Path<String>,
    Query(q): Query<YearQuery>,
) -> AppResult<PublicPage> {
    let year = q.year.and_then(|y| y.trim().parse().ok());
    let p = store::publication(&state.db, &township, year).await?;
    let groups = store::by_kind(&p.persons);
    Ok(PublicPage { p, groups })
}
