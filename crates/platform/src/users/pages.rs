//! User administration pages: list with search, create, edit, lock/unlock, password reset,
//! and the role–permission matrix.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

use super::api::{RoleInfo, role_infos};
use super::store::{self, UserFilter, UserInput, UserView};
use crate::access::{Actor, Role, perm};
use crate::error::{AppError, AppResult};
use crate::org::store::{self as departments, Department};
use crate::regions::store::Region;
use crate::web::form::{Form, FormErrors, Path, Query, optional};
use crate::web::paging::{PageOf, Paging, page_link};
use crate::web::{AppState, PageCtx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list_page))
        .route("/admin/users/new", get(new_page).post(create))
        .route("/admin/users/{id}", get(show_page))
        .route("/admin/users/{id}/edit", get(edit_page).post(update))
        .route("/admin/users/{id}/lock", post(lock))
        .route("/admin/users/{id}/unlock", post(unlock))
        .route("/admin/users/{id}/reset-password", post(reset))
        .route("/admin/roles", get(roles_page))
}

#[derive(Template, WebTemplate)]
#[template(path = "users/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: UserFilter,
    page: PageOf<UserView>,
    query: String,
    roles: &'static [Role],
    regions: Vec<Region>,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn region_name(&self, code: &str) -> String {
        self.regions
            .iter()
            .find(|r| r.code == code)
            .map(|r| r.short_name.clone())
            .unwrap_or_else(|| code.to_string())
    }

    fn selected(&self, field: &Option<String>, value: &str) -> bool {
        field.as_deref() == Some(value)
    }
}

/// The regions a form or list can name: the user's own region and everything below it.
async fn regions_in_scope(state: &AppState, actor: &Actor) -> AppResult<Vec<Region>> {
    crate::regions::store::in_scope(&state.db, &actor.scope()).await
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<UserFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    store::require_viewer(&ctx.actor)?;
    let page = store::list(&state.db, &ctx.actor.scope(), &filter, paging, state.now()).await?;
    let regions = regions_in_scope(&state, &ctx.actor).await?;
    Ok(ListPage {
        ctx,
        filter,
        page,
        query: query.unwrap_or_default(),
        roles: Role::ALL,
        regions,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "users/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<UserView>,
    input: UserInput,
    errors: FormErrors,
    roles: Vec<Role>,
    regions: Vec<Region>,
    departments: Vec<Department>,
}

impl FormPage {
    fn has_role(&self, code: &str) -> bool {
        self.input.roles.iter().any(|r| r == code)
    }

    fn is_department(&self, id: &Uuid) -> bool {
        self.input.department_id.as_ref() == Some(id)
    }

    fn enabled(&self) -> bool {
        self.input.enabled.unwrap_or(true)
    }

    fn indent(&self, region: &Region) -> &'static str {
        match region.level {
            crate::regions::Level::Village => "\u{3000}\u{3000}",
            crate::regions::Level::Township => "\u{3000}",
            _ => "",
        }
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<UserView>,
    input: UserInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    let mut roles = store::grantable_roles(&ctx.actor);
    if let Some(user) = &editing {
        // Keep the user's current roles visible even if this administrator cannot grant them.
        for role in &user.roles {
            if !roles.contains(role) {
                roles.push(*role);
            }
        }
    }
    let regions = regions_in_scope(state, &ctx.actor).await?;
    let departments = departments::all(&state.db, &ctx.actor.scope()).await?;
    Ok(FormPage {
        ctx,
        editing,
        input,
        errors,
        roles,
        regions,
        departments,
    })
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<FormPage> {
    if !ctx.actor.can(perm::ADMIN_USERS) && !ctx.actor.can(perm::ADMIN_SECURITY) {
        return Err(AppError::Forbidden);
    }
    let input = UserInput {
        region_code: ctx.actor.region_code.clone(),
        enabled: Some(true),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

/// The form as browsers send it: check boxes repeat `roles`, blank selects are empty strings.
#[derive(Deserialize)]
struct UserForm {
    #[serde(default)]
    username: String,
    display_name: String,
    phone: Option<String>,
    region_code: String,
    department_id: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    password: Option<String>,
    version: Option<i32>,
    enabled: Option<String>,
}

impl UserForm {
    fn into_input(self, editing: bool) -> Result<UserInput, AppError> {
        let department_id = match crate::web::form::optional(&self.department_id) {
            Some(text) => Some(
                text.parse::<Uuid>()
                    .map_err(|_| AppError::field("department_id", "所选部门无效"))?,
            ),
            None => None,
        };
        Ok(UserInput {
            username: self.username,
            display_name: self.display_name,
            phone: self.phone,
            region_code: self.region_code,
            department_id,
            roles: self.roles,
            password: self.password,
            version: self.version,
            enabled: editing.then_some(self.enabled.is_some()),
        })
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<UserForm>,
) -> AppResult<Response> {
    let input = form.into_input(false)?;
    match store::create(&state, &ctx.actor, &input).await {
        Ok((user, password)) => {
            // A password the administrator typed is not shown back; a generated one is, once.
            let shown = optional(&input.password).is_none().then_some(password);
            Ok(ShowPage::render(&state, ctx, user, shown, StatusCode::CREATED).await?)
        }
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let mut input = input;
            input.password = None;
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
    store::require_viewer(&ctx.actor)?;
    let user = store::get(&state.db, &ctx.actor.scope(), id, state.now()).await?;
    let input = UserInput {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        phone: user.phone.clone(),
        region_code: user.region_code.clone(),
        department_id: user.department_id,
        roles: user.roles.iter().map(|r| r.code().to_string()).collect(),
        password: None,
        version: Some(user.version),
        enabled: Some(user.enabled),
    };
    form_page(&state, ctx, Some(user), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<UserForm>,
) -> AppResult<Response> {
    let input = form.into_input(true)?;
    match store::update(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}?done=saved")).into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let user = store::get(&state.db, &ctx.actor.scope(), id, state.now()).await?;
            let page = form_page(&state, ctx, Some(user), input, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "users/show.html")]
struct ShowPage {
    ctx: PageCtx,
    user: UserView,
    region_path: String,
    department: Option<String>,
    /// A password just set, shown once.
    password: Option<String>,
    history: Vec<crate::audit::store::AuditRow>,
}

impl ShowPage {
    async fn render(
        state: &AppState,
        ctx: PageCtx,
        user: UserView,
        password: Option<String>,
        status: StatusCode,
    ) -> AppResult<Response> {
        let chain = crate::regions::store::ancestors(&state.db, &user.region_code).await?;
        let region_path = chain
            .iter()
            .map(|r| r.short_name.as_str())
            .collect::<Vec<_>>()
            .join(" / ");
        let department = match user.department_id {
            Some(id) => departments::get(&state.db, &ctx.actor.scope(), id)
                .await
                .ok()
                .map(|d| d.name),
            None => None,
        };
        let history = if ctx.actor.can(perm::ADMIN_SECURITY) {
            crate::audit::store::history(
                &state.db,
                &ctx.actor.scope(),
                "user",
                &user.id.to_string(),
            )
            .await?
        } else {
            Vec::new()
        };
        Ok((
            status,
            ShowPage {
                ctx,
                user,
                region_path,
                department,
                password,
                history,
            },
        )
            .into_response())
    }

    fn may_edit(&self) -> bool {
        let needed = if self.user.is_administrator() {
            perm::ADMIN_SECURITY
        } else {
            perm::ADMIN_USERS
        };
        self.ctx.actor.can(needed)
    }

    fn may_secure(&self) -> bool {
        self.ctx.actor.can(perm::ADMIN_SECURITY) && self.user.id != self.ctx.actor.user_id
    }
}

async fn show_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    store::require_viewer(&ctx.actor)?;
    let user = store::get(&state.db, &ctx.actor.scope(), id, state.now()).await?;
    ShowPage::render(&state, ctx, user, None, StatusCode::OK).await
}

#[derive(Deserialize)]
struct LockForm {
    reason: Option<String>,
}

async fn lock(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Form(form): Form<LockForm>,
) -> AppResult<Redirect> {
    store::set_lock(&state, &actor, id, true, form.reason).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=locked")))
}

async fn unlock(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<Redirect> {
    store::set_lock(&state, &actor, id, false, None).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?done=unlocked")))
}

async fn reset(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let (user, password) = store::reset_password(&state, &ctx.actor, id, None).await?;
    ShowPage::render(&state, ctx, user, Some(password), StatusCode::OK).await
}

#[derive(Template, WebTemplate)]
#[template(path = "users/roles.html")]
struct RolesPage {
    ctx: PageCtx,
    roles: Vec<RoleInfo>,
    permissions: Vec<(&'static str, &'static str)>,
}

impl RolesPage {
    fn grants(&self, role: &RoleInfo, permission: &str) -> bool {
        role.permissions.contains(&permission)
    }
}

fn permission_label(p: &str) -> &'static str {
    match p {
        perm::ADMIN_USERS => "用户与角色管理",
        perm::ADMIN_SECURITY => "账号安全（锁定、解锁、重置密码、管理员账号）",
        perm::ADMIN_ORG => "区划、部门、字典管理",
        perm::AUDIT_VIEW => "审计日志查询与导出",
        perm::SAFETY_VIEW => "安全生产：查看",
        perm::SAFETY_EDIT => "安全生产：办理",
        perm::WARNING_VIEW => "预警：查看",
        perm::WARNING_EDIT => "预警：发布",
        perm::WARNING_ACK => "预警：签收叫应",
        perm::DUTY_VIEW => "值班值守：查看",
        perm::DUTY_EDIT => "值班值守：办理",
        perm::FIRE_VIEW => "森林防灭火：查看",
        perm::FIRE_EDIT => "森林防灭火：办理",
        perm::FIRE_PATROL => "森林防灭火：巡护打卡",
        perm::DISASTER_VIEW => "灾情救助：查看",
        perm::DISASTER_EDIT => "灾情救助：办理",
        perm::READINESS_VIEW => "应急准备：查看",
        perm::READINESS_EDIT => "应急准备：办理",
        perm::RESPONSE_VIEW => "应急响应：查看",
        perm::RESPONSE_EDIT => "应急响应：办理",
        perm::REPORTS_VIEW => "统计报表",
        perm::ENTERPRISE_SELF => "企业自查自报（仅本单位）",
        _ => "其他",
    }
}

async fn roles_page(ctx: PageCtx) -> AppResult<RolesPage> {
    store::require_viewer(&ctx.actor)?;
    let roles = role_infos();
    let mut permissions: Vec<&'static str> = roles
        .iter()
        .flat_map(|r| r.permissions.iter().copied())
        .collect();
    permissions.sort_unstable();
    permissions.dedup();
    let permissions = permissions
        .into_iter()
        .map(|p| (p, permission_label(p)))
        .collect();
    Ok(RolesPage {
        ctx,
        roles,
        permissions,
    })
}
