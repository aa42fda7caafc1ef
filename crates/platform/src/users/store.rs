//! Account queries and changes, always inside the acting administrator's scope.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{Actor, Role, Scope, perm, validate_roles};
use crate::audit::{self, Entry};
use crate::auth::entity::{user, user_role};
use crate::auth::{login::end_sessions, password};
use crate::clock::format_local;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::AppState;
use crate::web::paging::{PageOf, Paging, fetch_page};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub region_code: String,
    pub department_id: Option<Uuid>,
    pub roles: Vec<Role>,
    pub enabled: bool,
    pub locked: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub lock_reason: Option<String>,
    pub failed_attempts: i32,
    pub must_change_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl UserView {
    fn new(m: user::Model, roles: Vec<Role>, now: DateTime<Utc>) -> Self {
        Self {
            locked: m.locked_until.is_some_and(|t| t > now),
            id: m.id,
            username: m.username,
            display_name: m.display_name,
            phone: m.phone,
            region_code: m.region_code,
            department_id: m.department_id,
            roles,
            enabled: m.enabled,
            locked_until: m.locked_until,
            lock_reason: m.lock_reason,
            failed_attempts: m.failed_attempts,
            must_change_password: m.must_change_password,
            last_login_at: m.last_login_at,
            version: m.version,
        }
    }

    pub fn role_labels(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn is_administrator(&self) -> bool {
        self.roles.iter().any(|r| r.is_administrator())
    }

    pub fn locked_until_local(&self) -> String {
        self.locked_until.map(format_local).unwrap_or_default()
    }

    pub fn last_login_local(&self) -> String {
        self.last_login_at.map(format_local).unwrap_or_default()
    }

    pub fn has_role(&self, code: &str) -> bool {
        self.roles.iter().any(|r| r.code() == code)
    }
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct UserFilter {
    /// Part of the user name or display name.
    pub q: Option<String>,
    pub role: Option<String>,
    /// `locked`, `disabled` or `active`.
    pub status: Option<String>,
    /// Only users of this region and below.
    pub region: Option<String>,
}

/// May this actor see the account list at all?
pub fn require_viewer(actor: &Actor) -> AppResult<()> {
    if actor.can(perm::ADMIN_USERS) || actor.can(perm::ADMIN_SECURITY) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn roles_by_user(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<Role>>> {
    let mut map: HashMap<Uuid, Vec<Role>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    for row in user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(ids.to_vec()))
        .all(db)
        .await?
    {
        if let Some(role) = Role::parse(&row.role) {
            map.entry(row.user_id).or_default().push(role);
        }
    }
    for roles in map.values_mut() {
        roles.sort();
    }
    Ok(map)
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &UserFilter,
    paging: Paging,
    now: DateTime<Utc>,
) -> AppResult<PageOf<UserView>> {
    let mut q = user::Entity::find().filter(scope.condition(user::Column::RegionCode));
    if let Some(text) = crate::web::form::optional(&filter.q) {
        q = q.filter(
            Condition::any()
                .add(user::Column::Username.contains(&text))
                .add(user::Column::DisplayName.contains(&text)),
        );
    }
    if let Some(region) = crate::web::form::optional(&filter.region) {
        q = q.filter(Scope::of(&region).condition(user::Column::RegionCode));
    }
    if let Some(role) = filter.role.as_deref().and_then(Role::parse) {
        let holders: Vec<Uuid> = user_role::Entity::find()
            .filter(user_role::Column::Role.eq(role.code()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| r.user_id)
            .collect();
        q = q.filter(user::Column::Id.is_in(holders));
    }
    match filter.status.as_deref() {
        Some("locked") => q = q.filter(user::Column::LockedUntil.gt(now)),
        Some("disabled") => q = q.filter(user::Column::Enabled.eq(false)),
        Some("active") => {
            q = q.filter(user::Column::Enabled.eq(true)).filter(
                Condition::any()
                    .add(user::Column::LockedUntil.is_null())
                    .add(user::Column::LockedUntil.lte(now)),
            )
        }
        _ => {}
    }
    let q = q
        .order_by_asc(user::Column::RegionCode)
        .order_by_asc(user::Column::Username);
    let page = fetch_page(db, q, paging).await?;
    let ids: Vec<Uuid> = page.items.iter().map(|u| u.id).collect();
    let mut roles = roles_by_user(db, &ids).await?;
    Ok(page.map(|u| {
        let r = roles.remove(&u.id).unwrap_or_default();
        UserView::new(u, r, now)
    }))
}

pub async fn get(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<UserView> {
    let found = user::Entity::find_by_id(id)
        .filter(scope.condition(user::Column::RegionCode))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = crate::auth::roles_of(db, id).await?;
    Ok(UserView::new(found, roles, now))
}

pub async fn count_locked(
    db: &impl ConnectionTrait,
    scope: &Scope,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    Ok(user::Entity::find()
        .filter(scope.condition(user::Column::RegionCode))
        .filter(user::Column::LockedUntil.gt(now))
        .count(db)
        .await?)
}

/// When the user logged in before the current session (the login audit trail's second-newest).
pub async fn last_login_before_this(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> AppResult<Option<DateTime<Utc>>> {
    use crate::audit::entity::{Column, Entity};
    use sea_orm::QuerySelect;
    let logins = Entity::find()
        .filter(Column::ActorId.eq(user_id))
        .filter(Column::Action.eq("login.success"))
        .order_by_desc(Column::At)
        .limit(2)
        .all(db)
        .await?;
    Ok(logins.get(1).map(|l| l.at))
}

/// What an administrator submits to create or edit an account.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub region_code: String,
    pub department_id: Option<Uuid>,
    pub roles: Vec<String>,
    /// Initial password; one is generated when empty. Ignored on edit.
    pub password: Option<String>,
    /// On edit: the version the form was loaded at (optimistic locking).
    pub version: Option<i32>,
    pub enabled: Option<bool>,
}

struct ValidUser {
    username: String,
    display_name: String,
    phone: Option<String>,
    region_code: String,
    department_id: Option<Uuid>,
    roles: Vec<Role>,
}

async fn validate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &UserInput,
) -> AppResult<ValidUser> {
    let mut errors = FieldErrors::new();
    let username = input.username.trim().to_string();
    let username_ok = (3..=32).contains(&username.len())
        && username
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if !username_ok {
        errors.insert(
            "username".into(),
            "用户名为 3–32 位字母、数字、下划线、点或连字符".into(),
        );
    }
    let display_name = input.display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > 32 {
        errors.insert("display_name".into(), "姓名为 1–32 个字".into());
    }
    let phone = crate::web::form::optional(&input.phone);
    if !crate::web::form::valid_phone(&phone) {
        errors.insert("phone".into(), "电话只能包含数字和连字符，5–20 位".into());
    }
    let region_code = input.region_code.trim().to_string();
    let region_ok = actor.scope().contains(&region_code)
        && crate::regions::store::find(db, &region_code)
            .await?
            .is_some();
    if !region_ok {
        errors.insert("region_code".into(), "请选择您管辖范围内的区域".into());
    }
    let mut roles = Vec::new();
    for code in &input.roles {
        match Role::parse(code) {
            Some(role) => roles.push(role),
            None => {
                errors.insert("roles".into(), format!("未知角色 {code}"));
            }
        }
    }
    roles.sort();
    roles.dedup();
    if !errors.contains_key("roles")
        && let Err(AppError::Validation(e)) = validate_roles(&roles)
    {
        errors.extend(e);
    }
    if let Some(dep) = input.department_id
        && !crate::org::store::exists_in_scope(db, &actor.scope(), dep).await?
    {
        errors.insert(
            "department_id".into(),
            "所选部门不存在或不在管辖范围内".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(ValidUser {
        username,
        display_name,
        phone,
        region_code,
        department_id: input.department_id,
        roles,
    })
}

/// The actor may manage an account holding `roles` (creating, editing).
fn require_manager_of(actor: &Actor, roles: &[Role]) -> AppResult<()> {
    let needed = if roles.iter().any(|r| r.is_administrator()) {
        perm::ADMIN_SECURITY
    } else {
        perm::ADMIN_USERS
    };
    actor.require(needed)
}

async fn set_roles(db: &impl ConnectionTrait, user_id: Uuid, roles: &[Role]) -> AppResult<()> {
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if roles.is_empty() {
        return Ok(());
    }
    let rows = roles.iter().map(|r| user_role::ActiveModel {
        user_id: Set(user_id),
        role: Set(r.code().to_string()),
    });
    user_role::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A new account and its initial password (to hand over once; it must be changed at first login).
pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &UserInput,
) -> AppResult<(UserView, String)> {
    let valid = validate(&state.db, actor, input).await?;
    require_manager_of(actor, &valid.roles)?;
    let initial = match crate::web::form::optional(&input.password) {
        Some(p) => {
            password::check_strength(&p, &valid.username)?;
            p
        }
        None => password::generate(),
    };
    let exists = user::Entity::find()
        .filter(user::Column::Username.eq(&valid.username))
        .one(&state.db)
        .await?;
    if exists.is_some() {
        return Err(AppError::field("username", "该用户名已被使用"));
    }
    let hash = {
        let p = initial.clone();
        tokio::task::spawn_blocking(move || password::hash(&p))
            .await
            .map_err(|e| AppError::Internal(e.into()))??
    };
    let now = state.now();
    let txn = state.db.begin().await?;
    let model = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        username: Set(valid.username.clone()),
        display_name: Set(valid.display_name.clone()),
        phone: Set(valid.phone.clone()),
        region_code: Set(valid.region_code.clone()),
        department_id: Set(valid.department_id),
        password_hash: Set(hash),
        must_change_password: Set(true),
        failed_attempts: Set(0),
        locked_until: Set(None),
        lock_reason: Set(None),
        enabled: Set(true),
        last_login_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        created_by: Set(Some(actor.user_id)),
        updated_at: Set(now),
        updated_by: Set(Some(actor.user_id)),
    }
    .insert(&txn)
    .await?;
    set_roles(&txn, model.id, &valid.roles).await?;
    let view = UserView::new(model, valid.roles.clone(), now);
    let entry = Entry::new("create", "user", view.id, &view.region_code)
        .summary(format!(
            "新增用户 {}（{}），角色：{}",
            view.display_name,
            view.username,
            view.role_labels()
        ))
        .after(&view);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok((view, initial))
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &UserInput,
) -> AppResult<UserView> {
    let now = state.now();
    let before = get(&state.db, &actor.scope(), id, now).await?;
    let mut input = input.clone();
    input.username = before.username.clone();
    let valid = validate(&state.db, actor, &input).await?;
    require_manager_of(actor, &before.roles)?;
    require_manager_of(actor, &valid.roles)?;
    if id == actor.user_id && valid.roles != before.roles {
        return Err(AppError::field("roles", "不能修改自己的角色"));
    }
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let enabled = input.enabled.unwrap_or(before.enabled);
    if id == actor.user_id && !enabled {
        return Err(AppError::field("enabled", "不能停用自己的账号"));
    }
    let txn = state.db.begin().await?;
    crate::db::versioned_update(
        &txn,
        user::Entity::update_many()
            .col_expr(
                user::Column::DisplayName,
                Expr::value(valid.display_name.clone()),
            )
            .col_expr(user::Column::Phone, Expr::value(valid.phone.clone()))
            .col_expr(
                user::Column::RegionCode,
                Expr::value(valid.region_code.clone()),
            )
            .col_expr(user::Column::DepartmentId, Expr::value(valid.department_id))
            .col_expr(user::Column::Enabled, Expr::value(enabled)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    if valid.roles != before.roles {
        set_roles(&txn, id, &valid.roles).await?;
    }
    if !enabled {
        end_sessions(&txn, id).await?;
    }
    let after = get(&txn, &actor.scope(), id, now).await?;
    let action = if valid.roles != before.roles {
        "roles.change"
    } else {
        "update"
    };
    let entry = Entry::new(action, "user", id, &after.region_code)
        .summary(format!(
            "修改用户 {}（{}）",
            after.display_name, after.username
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Lock (indefinitely, until unlocked) or unlock an account: the security administrator's work.
pub async fn set_lock(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    lock: bool,
    reason: Option<String>,
) -> AppResult<UserView> {
    actor.require(perm::ADMIN_SECURITY)?;
    if id == actor.user_id {
        return Err(AppError::bad_request(
            "own_account",
            "不能锁定或解锁自己的账号",
        ));
    }
    let now = state.now();
    let before = get(&state.db, &actor.scope(), id, now).await?;
    let txn = state.db.begin().await?;
    let found = user::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active = found.into_active_model();
    if lock {
        let reason = reason
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| "管理员锁定".to_string());
        active.locked_until = Set(Some(far_future()));
        active.lock_reason = Set(Some(reason.chars().take(100).collect()));
    } else {
        active.locked_until = Set(None);
        active.lock_reason = Set(None);
        active.failed_attempts = Set(0);
    }
    active.version = Set(before.version + 1);
    active.updated_at = Set(now);
    active.updated_by = Set(Some(actor.user_id));
    active.update(&txn).await?;
    if lock {
        end_sessions(&txn, id).await?;
    }
    let after = get(&txn, &actor.scope(), id, now).await?;
    let (action, verb) = if lock {
        ("lock", "锁定")
    } else {
        ("unlock", "解锁")
    };
    let entry = Entry::new(action, "user", id, &after.region_code)
        .summary(format!(
            "{verb}账号 {}（{}）",
            after.display_name, after.username
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

fn far_future() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(253_402_214_400, 0).unwrap_or_else(Utc::now) // 9999-12-31
}

/// Give an account a new password (generated unless `chosen`), to be changed at next login.
pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    chosen: Option<&str>,
) -> AppResult<(UserView, String)> {
    actor.require(perm::ADMIN_SECURITY)?;
    if id == actor.user_id {
        return Err(AppError::bad_request(
            "own_account",
            "请在「修改密码」中修改自己的密码",
        ));
    }
    let now = state.now();
    let before = get(&state.db, &actor.scope(), id, now).await?;
    let fresh = match chosen {
        Some(p) => {
            password::check_strength(p, &before.username)?;
            p.to_string()
        }
        None => password::generate(),
    };
    let hash = {
        let p = fresh.clone();
        tokio::task::spawn_blocking(move || password::hash(&p))
            .await
            .map_err(|e| AppError::Internal(e.into()))??
    };
    let txn = state.db.begin().await?;
    let found = user::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active = found.into_active_model();
    active.password_hash = Set(hash);
    active.must_change_password = Set(true);
    active.version = Set(before.version + 1);
    active.updated_at = Set(now);
    active.updated_by = Set(Some(actor.user_id));
    active.update(&txn).await?;
    end_sessions(&txn, id).await?;
    let entry = Entry::new("password.reset", "user", id, &before.region_code).summary(format!(
        "重置 {}（{}）的密码",
        before.display_name, before.username
    ));
    audit::record(&txn, actor, now, entry).await?;
    let after = get(&txn, &actor.scope(), id, now).await?;
    txn.commit().await?;
    Ok((after, fresh))
}

/// Roles an actor may hand out, for form check boxes.
pub fn grantable_roles(actor: &Actor) -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| actor.can(r.granted_by()))
        .collect()
}

/// Distinct role codes, for filters.
pub fn role_codes(roles: &[Role]) -> BTreeSet<&'static str> {
    roles.iter().map(|r| r.code()).collect()
}

/// Demo accounts start with a usable password (a real account must change its initial one).
/// Display names of these users, for lists that show who did what.
pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> AppResult<HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

pub async fn mark_password_changed(db: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
    user::Entity::update_many()
        .col_expr(user::Column::MustChangePassword, Expr::value(false))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
