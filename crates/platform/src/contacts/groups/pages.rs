//! Contact-group pages: list, a group with its members (and XLSX), create, edit, void.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

use super::store::{self, Group, GroupDetail, GroupInput};
use crate::contacts::{ROLES, entity as contact, role_label};
use crate::error::{AppError, AppResult};
use crate::web::form::{Form, FormErrors, Path, redirect_or_again};
use crate::web::{AppState, PageCtx, xlsx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contacts/groups", get(list_page))
        .route("/contacts/groups/new", get(new_page).post(create))
        .route("/contacts/groups/{id}", get(detail_page))
        .route("/contacts/groups/{id}/export", get(export))
        .route("/contacts/groups/{id}/edit", get(edit_page).post(update))
        .route("/contacts/groups/{id}/void", post(void))
}

fn require_view(ctx: &PageCtx) -> AppResult<()> {
    if crate::contacts::may_view(&ctx.actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Short names of these regions and of their townships.
async fn names_of_regions(
    state: &AppState,
    codes: impl Iterator<Item = &String>,
) -> AppResult<HashMap<String, String>> {
    let codes = codes.flat_map(|c| [c.clone(), crate::regions::model::township_of(c)]);
    crate::regions::store::short_names(&state.db, codes).await
}

/// Where a person answers for; a village reads with its township (潼川镇 凤凰村), so typing
/// a township's name in the picker finds its villages too.
fn place_of(names: &HashMap<String, String>, code: &str) -> String {
    let name = |c: &str| names.get(c).cloned().unwrap_or_else(|| c.to_string());
    let township = crate::regions::model::township_of(code);
    if township == code {
        name(code)
    } else {
        format!("{} {}", name(&township), name(code))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "contacts/groups/list.html")]
struct ListPage {
    ctx: PageCtx,
    groups: Vec<Group>,
}

impl ListPage {
    fn may_edit(&self) -> bool {
        crate::contacts::may_edit(&self.ctx.actor)
    }
}

async fn list_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<ListPage> {
    require_view(&ctx)?;
    let groups = store::list(&state.db, &ctx.actor.scope(), false).await?;
    Ok(ListPage { ctx, groups })
}

#[derive(Template, WebTemplate)]
#[template(path = "contacts/groups/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    g: GroupDetail,
    names: HashMap<String, String>,
}

impl DetailPage {
    fn region(&self, code: &str) -> String {
        place_of(&self.names, code)
    }

    fn may_edit(&self) -> bool {
        crate::contacts::may_edit(&self.ctx.actor) && !self.g.group.voided
    }
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<DetailPage> {
    require_view(&ctx)?;
    let g = store::get(&state.db, &ctx.actor.scope(), id).await?;
    let names = names_of_regions(&state, g.contacts.iter().map(|c| &c.region_code)).await?;
    Ok(DetailPage { ctx, g, names })
}

/// The members as XLSX, for printing or handing to a township.
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    require_view(&ctx)?;
    let g = store::get(&state.db, &ctx.actor.scope(), id).await?;
    let names = names_of_regions(&state, g.contacts.iter().map(|c| &c.region_code)).await?;
    let rows: Vec<Vec<String>> = g
        .contacts
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                c.role_label.to_string(),
                c.post.clone().unwrap_or_default(),
                c.mobile.clone().unwrap_or_default(),
                place_of(&names, &c.region_code),
            ]
        })
        .collect();
    let headers = ["姓名", "职责", "职务", "手机", "负责区域"];
    let bytes = xlsx::workbook(&g.group.name, &headers, &rows)?;
    Ok(xlsx::download(&format!("{}.xlsx", g.group.name), bytes))
}

/// One person offered in the member picker.
struct Candidate {
    id: Uuid,
    name: String,
    role: &'static str,
    post: String,
    region: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "contacts/groups/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Group>,
    input: GroupInput,
    errors: FormErrors,
    candidates: Vec<Candidate>,
    chosen: BTreeSet<String>,
    roles: &'static [(&'static str, &'static str)],
}

impl FormPage {
    fn is_chosen(&self, id: &Uuid) -> bool {
        self.chosen.contains(&id.to_string())
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Group>,
    input: GroupInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    if !crate::contacts::may_edit(&ctx.actor) {
        return Err(AppError::Forbidden);
    }
    let every_role: Vec<&str> = ROLES.iter().map(|(code, _)| *code).collect();
    let people: Vec<contact::Model> = crate::contacts::store::in_regions(
        &state.db,
        std::slice::from_ref(&ctx.actor.region_code),
        &every_role,
    )
    .await?;
    let names = names_of_regions(state, people.iter().map(|c| &c.region_code)).await?;
    let candidates = people
        .into_iter()
        .map(|c| Candidate {
            id: c.id,
            role: role_label(&c.role),
            post: c.post.unwrap_or_default(),
            region: place_of(&names, &c.region_code),
            name: c.name,
        })
        .collect();
    let chosen = input.members.iter().map(|m| m.trim().to_string()).collect();
    Ok(FormPage {
        ctx,
        editing,
        input,
        errors,
        candidates,
        chosen,
        roles: ROLES,
    })
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<FormPage> {
    form_page(
        &state,
        ctx,
        None,
        GroupInput::default(),
        FormErrors::default(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<GroupInput>,
) -> AppResult<Response> {
    let result = store::create(&state, &ctx.actor, &input).await;
    redirect_or_again(
        result,
        |g| format!("/contacts/groups/{}?done=created", g.group.id),
        |errors| form_page(&state, ctx, None, input, errors),
    )
    .await
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<FormPage> {
    let g = store::get(&state.db, &ctx.actor.scope(), id).await?;
    let input = GroupInput::of(&g);
    form_page(&state, ctx, Some(g.group), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<GroupInput>,
) -> AppResult<Response> {
    let result = store::update(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |g| format!("/contacts/groups/{}?done=saved", g.group.id),
        |errors| async move {
            let g = store::get(&state.db, &ctx.actor.scope(), id).await?;
            form_page(&state, ctx, Some(g.group), input, errors).await
        },
    )
    .await
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
    Ok(Redirect::to("/contacts/groups?done=voided"))
}
