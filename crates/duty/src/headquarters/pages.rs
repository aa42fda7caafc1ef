//! Headquarters pages: the list (with a form to set one up), a headquarters with its leaders
//! and member units (a form to add, links to edit, copy to next year), and the XLSX of the
//! 成员单位及联络员 table as the annual notice publishes it.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use platform::error::AppResult;
use platform::org::store::Department;
use platform::web::form::{Form, FormErrors, Path};
use platform::web::{AppState, PageCtx, xlsx};
use uuid::Uuid;

use super::model::{HqKind, Position};
use super::store::{self, Detail, Headquarters, HqInput, Member, MemberInput, VoidInput};
use crate::rosters::store::is_writer;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/duty/headquarters", get(list_page).post(create))
        .route("/duty/headquarters/{id}", get(detail_page))
        .route("/duty/headquarters/{id}/members", post(add_member))
        .route("/duty/headquarters/{id}/copy", post(copy))
        .route("/duty/headquarters/{id}/export", get(export))
        .route(
            "/duty/hq-members/{id}/edit",
            get(edit_page).post(update_member),
        )
        .route("/duty/hq-members/{id}/void", post(void_member))
}

type Codes = Vec<(&'static str, &'static str)>;

#[derive(Template, WebTemplate)]
#[template(path = "headquarters/list.html")]
struct ListPage {
    ctx: PageCtx,
    items: Vec<Headquarters>,
    kinds: Codes,
    input: HqInput,
    errors: FormErrors,
    may_write: bool,
}

impl ListPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

async fn list(
    state: &AppState,
    ctx: PageCtx,
    input: Option<HqInput>,
    errors: FormErrors,
) -> AppResult<Response> {
    let items = store::list(&state.db, &ctx.actor).await?;
    let status = match errors.message {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let year = crate::rosters::model::local_day(state.now()).year();
    let page = ListPage {
        may_write: is_writer(&ctx.actor),
        ctx,
        items,
        kinds: HqKind::options(),
        input: input.unwrap_or(HqInput {
            kind: HqKind::Flood.code().into(),
            year: Some(year.to_string()),
        }),
        errors,
    };
    Ok((status, page).into_response())
}

async fn list_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    list(&state, ctx, None, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<HqInput>,
) -> AppResult<Response> {
    match store::create(&state, &ctx.actor, &input).await {
        Ok(hq) => {
            Ok(Redirect::to(&format!("/duty/headquarters/{}?done=created", hq.id)).into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            list(&state, ctx, Some(input), errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "headquarters/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    d: Detail,
    departments: Vec<Department>,
    positions: Codes,
    input: MemberInput,
    errors: FormErrors,
    may_write: bool,
}

impl DetailPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn is_department(&self, id: &Uuid) -> bool {
        self.input.department_id.as_deref() == Some(id.to_string().as_str())
    }
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    input: Option<MemberInput>,
    errors: FormErrors,
) -> AppResult<Response> {
    let d = store::get(&state.db, &ctx.actor, id).await?;
    let departments = platform::org::store::all(&state.db, &ctx.actor.scope())
        .await?
        .into_iter()
        .filter(|d| !d.voided)
        .collect();
    let status = match errors.message {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = DetailPage {
        may_write: is_writer(&ctx.actor),
        ctx,
        d,
        departments,
        positions: Position::options(),
        input: input.unwrap_or(MemberInput {
            position: Position::Member.code().into(),
            ..Default::default()
        }),
        errors,
    };
    Ok((status, page).into_response())
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    detail(&state, ctx, id, None, FormErrors::default()).await
}

async fn add_member(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<MemberInput>,
) -> AppResult<Response> {
    match store::add_member(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/duty/headquarters/{id}?done=saved")).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            detail(&state, ctx, id, Some(input), errors).await
        }
    }
}

async fn copy(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    match store::copy_to_next_year(&state, &ctx.actor, id).await {
        Ok(hq) => {
            Ok(Redirect::to(&format!("/duty/headquarters/{}?done=created", hq.id)).into_response())
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            detail(&state, ctx, id, None, errors).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "headquarters/member.html")]
struct MemberPage {
    ctx: PageCtx,
    id: Uuid,
    hq: Headquarters,
    departments: Vec<Department>,
    positions: Codes,
    input: MemberInput,
    errors: FormErrors,
}

impl MemberPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn is_department(&self, id: &Uuid) -> bool {
        self.input.department_id.as_deref() == Some(id.to_string().as_str())
    }
}

async fn member_page(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    input: Option<MemberInput>,
    errors: FormErrors,
) -> AppResult<Response> {
    let m: Member = store::get_member(&state.db, &ctx.actor, id).await?;
    let hq = store::get(&state.db, &ctx.actor, m.headquarters_id)
        .await?
        .headquarters;
    let departments = platform::org::store::all(&state.db, &ctx.actor.scope())
        .await?
        .into_iter()
        .filter(|d| !d.voided)
        .collect();
    let status = match errors.message {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let input = input.unwrap_or(MemberInput {
        position: m.position.code().into(),
        department_id: m.department_id.map(|d| d.to_string()),
        unit_name: m.unit_name,
        person_name: m.person_name,
        person_post: m.person_post,
        phone: m.phone,
        duties: m.duties,
        sort: Some(m.sort.to_string()),
        version: Some(m.version),
    });
    let page = MemberPage {
        ctx,
        id,
        hq,
        departments,
        positions: Position::options(),
        input,
        errors,
    };
    Ok((status, page).into_response())
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    member_page(&state, ctx, id, None, FormErrors::default()).await
}

async fn update_member(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<MemberInput>,
) -> AppResult<Response> {
    match store::update_member(&state, &ctx.actor, id, &input).await {
        Ok(m) => Ok(Redirect::to(&format!(
            "/duty/headquarters/{}?done=saved",
            m.headquarters_id
        ))
        .into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            member_page(&state, ctx, id, Some(input), errors).await
        }
    }
}

async fn void_member(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VoidInput>,
) -> AppResult<Response> {
    match store::void_member(&state, &ctx.actor, id, &input).await {
        Ok(m) => Ok(Redirect::to(&format!(
            "/duty/headquarters/{}?done=voided",
            m.headquarters_id
        ))
        .into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            member_page(&state, ctx, id, None, errors).await
        }
    }
}

/// Columns of the 成员单位及联络员 table in the annual notice.
pub const EXPORT_HEADERS: [&str; 6] =
    ["序号", "成员单位", "联络员", "职务", "联系电话", "工作职责"];

/// The 成员单位及联络员 table as XLSX, with a second sheet of the leaders.
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let d = store::get(&state.db, &ctx.actor, id).await?;
    let members: Vec<Vec<String>> = d
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            vec![
                (i + 1).to_string(),
                m.unit().to_string(),
                m.person_name.clone(),
                m.post().to_string(),
                m.phone.clone(),
                m.duties_text().to_string(),
            ]
        })
        .collect();
    let leaders: Vec<Vec<String>> = d
        .leaders
        .iter()
        .map(|m| {
            vec![
                m.position_label().to_string(),
                m.person_name.clone(),
                m.post().to_string(),
                m.phone.clone(),
            ]
        })
        .collect();
    let bytes = xlsx::workbook_of(&[
        xlsx::Sheet {
            name: "成员单位及联络员",
            headers: &EXPORT_HEADERS,
            rows: &members,
        },
        xlsx::Sheet {
            name: "指挥长及副指挥长",
            headers: &["职位", "姓名", "职务", "联系电话"],
            rows: &leaders,
        },
    ])?;
    let hq = &d.headquarters;
    Ok(xlsx::download(
        &format!("{}年{}成员单位及联络员.xlsx", hq.year, hq.name),
        bytes,
    ))
}
