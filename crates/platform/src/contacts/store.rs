//! Contact queries and changes, scoped, versioned and audited.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{self, Column, Entity};
use super::{ROLES, role_label};
use crate::access::{Actor, Scope};
use crate::audit::{self, Entry};
use crate::auth::entity::user;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::AppState;
use crate::web::form::{optional, text_field};
use crate::web::paging::{PageOf, Paging, fetch_page};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: Uuid,
    pub region_code: String,
    pub name: String,
    pub role: String,
    pub role_label: &'static str,
    pub post: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub user_id: Option<Uuid>,
    pub department_id: Option<Uuid>,
    pub note: Option<String>,
    pub sort: i32,
    pub voided: bool,
    pub version: i32,
}

impl From<entity::Model> for Contact {
    fn from(m: entity::Model) -> Self {
        Self {
            role_label: role_label(&m.role),
            voided: m.voided_at.is_some(),
            id: m.id,
            region_code: m.region_code,
            name: m.name,
            role: m.role,
            post: m.post,
            mobile: m.mobile,
            email: m.email,
            user_id: m.user_id,
            department_id: m.department_id,
            note: m.note,
            sort: m.sort,
            version: m.version,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ContactFilter {
    /// Name, post or phone.
    pub q: Option<String>,
    pub role: Option<String>,
    /// A region and everything under it.
    pub region: Option<String>,
    pub voided: Option<bool>,
}

fn select(scope: &Scope, filter: &ContactFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find().filter(scope.condition(Column::RegionCode));
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            Condition::any()
                .add(Column::Name.contains(&text))
                .add(Column::Post.contains(&text))
                .add(Column::Mobile.contains(&text)),
        );
    }
    if let Some(role) = optional(&filter.role) {
        q = q.filter(Column::Role.eq(role));
    }
    if let Some(region) = optional(&filter.region) {
        q = q.filter(Scope::of(&region).condition(Column::RegionCode));
    }
    if !filter.voided.unwrap_or(false) {
        q = q.filter(Column::VoidedAt.is_null());
    }
    q.order_by_asc(Column::RegionCode)
        .order_by_asc(Column::Sort)
        .order_by_asc(Column::Name)
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &ContactFilter,
    paging: Paging,
) -> AppResult<PageOf<Contact>> {
    Ok(fetch_page(db, select(scope, filter), paging)
        .await?
        .map(Contact::from))
}

pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<Contact> {
    Entity::find_by_id(id)
        .filter(scope.condition(Column::RegionCode))
        .one(db)
        .await?
        .map(Contact::from)
        .ok_or(AppError::NotFound)
}

/// Live contacts in any of `regions` (each with what lies under it) holding one of `roles`.
pub async fn in_regions(
    db: &impl ConnectionTrait,
    regions: &[String],
    roles: &[&str],
) -> AppResult<Vec<entity::Model>> {
    let mut within = Condition::any();
    for code in regions {
        within = within.add(Scope::of(code).condition(Column::RegionCode));
    }
    Ok(Entity::find()
        .filter(within)
        .filter(Column::Role.is_in(roles.iter().copied()))
        .filter(Column::VoidedAt.is_null())
        .order_by_asc(Column::RegionCode)
        .order_by_asc(Column::Sort)
        .all(db)
        .await?)
}

/// Who answers for each township in `region` (a county, or one township): its duty contacts
/// (乡镇值班室), its head when none is registered. Township-level people only: villages answer
/// through their township. Township by township, in code order.
pub async fn township_on_call(
    db: &impl ConnectionTrait,
    region: &str,
) -> AppResult<Vec<entity::Model>> {
    use crate::regions::model::{county_of, township_of};
    let people = in_regions(
        db,
        &[region.to_string()],
        &[super::role::TOWNSHIP_DUTY, super::role::TOWNSHIP_HEAD],
    )
    .await?;
    let mut by_township: std::collections::BTreeMap<String, Vec<entity::Model>> =
        Default::default();
    for c in people {
        let county_level = county_of(&c.region_code) == c.region_code;
        if !county_level && township_of(&c.region_code) == c.region_code {
            by_township
                .entry(c.region_code.clone())
                .or_default()
                .push(c);
        }
    }
    Ok(by_township
        .into_values()
        .flat_map(|all| {
            let has_duty = all.iter().any(|c| c.role == super::role::TOWNSHIP_DUTY);
            let wanted = if has_duty {
                super::role::TOWNSHIP_DUTY
            } else {
                super::role::TOWNSHIP_HEAD
            };
            all.into_iter().filter(move |c| c.role == wanted)
        })
        .collect())
}

/// Live contacts of exactly this region in one role (a township's head, the county leaders).
pub async fn of_region_role(
    db: &impl ConnectionTrait,
    region: &str,
    role: &str,
) -> AppResult<Vec<entity::Model>> {
    Ok(Entity::find()
        .filter(Column::RegionCode.eq(region))
        .filter(Column::Role.eq(role))
        .filter(Column::VoidedAt.is_null())
        .order_by_asc(Column::Sort)
        .all(db)
        .await?)
}

/// The contacts linked to a user's account.
pub async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<entity::Model>> {
    Ok(Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::VoidedAt.is_null())
        .all(db)
        .await?)
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ContactInput {
    pub name: Option<String>,
    pub role: Option<String>,
    pub region_code: Option<String>,
    pub post: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    /// The login name of their Yingji account, if they have one.
    pub username: Option<String>,
    pub department_id: Option<Uuid>,
    pub note: Option<String>,
    pub sort: Option<i32>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

struct Valid {
    name: String,
    role: String,
    region_code: String,
    post: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
    user_id: Option<Uuid>,
    note: Option<String>,
}

/// A mainland mobile number: 11 digits starting with 1.
pub fn valid_mobile(mobile: &str) -> bool {
    mobile.len() == 11 && mobile.starts_with('1') && mobile.bytes().all(|b| b.is_ascii_digit())
}

async fn validate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &ContactInput,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let name = text_field(&mut errors, "name", &input.name, 32, "姓名");
    if name.is_none() {
        errors.insert("name".into(), "请填写姓名".into());
    }
    let role = optional(&input.role).filter(|r| ROLES.iter().any(|(c, _)| c == r));
    if role.is_none() {
        errors.insert("role".into(), "请选择职责".into());
    }
    let region_code = optional(&input.region_code).unwrap_or_default();
    if !actor.scope().contains(&region_code)
        || crate::regions::store::find(db, &region_code)
            .await?
            .is_none()
    {
        errors.insert("region_code".into(), "请选择您管辖范围内的区域".into());
    }
    let post = text_field(&mut errors, "post", &input.post, 32, "职务");
    let mobile = optional(&input.mobile);
    if mobile.as_deref().is_some_and(|m| !valid_mobile(m)) {
        errors.insert("mobile".into(), "手机号应为 11 位数字".into());
    }
    let email = optional(&input.email);
    if email
        .as_deref()
        .is_some_and(|e| !e.contains('@') || e.len() > 100)
    {
        errors.insert("email".into(), "电子邮箱格式不正确".into());
    }
    let user_id = match optional(&input.username) {
        None => None,
        Some(username) => {
            let found = user::Entity::find()
                .filter(user::Column::Username.eq(&username))
                .filter(actor.scope().condition(user::Column::RegionCode))
                .one(db)
                .await?;
            if found.is_none() {
                errors.insert("username".into(), format!("本辖区没有账号 {username}"));
            }
            found.map(|u| u.id)
        }
    };
    if mobile.is_none() && email.is_none() && user_id.is_none() {
        errors.insert(
            "mobile".into(),
            "手机号、电子邮箱、平台账号至少填一项，否则消息无法送达".into(),
        );
    }
    if let Some(department) = input.department_id {
        // Member departments are the county's: look within the county of the contact's region.
        let county = crate::regions::model::county_of(&region_code);
        if !crate::org::store::exists_in_scope(db, &Scope::of(&county), department).await? {
            errors.insert("department_id".into(), "没有这个部门单位".into());
        }
    }
    let note = text_field(&mut errors, "note", &input.note, 200, "备注");
    match (name, role) {
        (Some(name), Some(role)) if errors.is_empty() => Ok(Valid {
            name,
            role,
            region_code,
            post,
            mobile,
            email,
            user_id,
            note,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

fn require_edit(actor: &Actor) -> AppResult<()> {
    if super::may_edit(actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn create(state: &AppState, actor: &Actor, input: &ContactInput) -> AppResult<Contact> {
    require_edit(actor)?;
    let v = validate(&state.db, actor, input).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let model = entity::ActiveModel {
        name: Set(v.name),
        role: Set(v.role),
        post: Set(v.post),
        mobile: Set(v.mobile),
        email: Set(v.email),
        user_id: Set(v.user_id),
        department_id: Set(input.department_id),
        note: Set(v.note),
        sort: Set(input.sort.unwrap_or(0)),
        ..crate::db::new_record(Uuid::now_v7(), v.region_code, Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let contact = Contact::from(model);
    let entry = Entry::new("create", "contact", contact.id, &contact.region_code)
        .summary(format!(
            "新增责任人 {}（{}）",
            contact.name, contact.role_label
        ))
        .after(&contact);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(contact)
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ContactInput,
) -> AppResult<Contact> {
    require_edit(actor)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    if before.voided {
        return Err(AppError::conflict(
            "already_voided",
            "该责任人已作废，不能修改",
        ));
    }
    let v = validate(&state.db, actor, input).await?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    crate::db::versioned_update(
        &txn,
        Entity::update_many()
            .col_expr(Column::Name, Expr::value(v.name))
            .col_expr(Column::Role, Expr::value(v.role))
            .col_expr(Column::RegionCode, Expr::value(v.region_code))
            .col_expr(Column::Post, Expr::value(v.post))
            .col_expr(Column::Mobile, Expr::value(v.mobile))
            .col_expr(Column::Email, Expr::value(v.email))
            .col_expr(Column::UserId, Expr::value(v.user_id))
            .col_expr(Column::DepartmentId, Expr::value(input.department_id))
            .col_expr(Column::Note, Expr::value(v.note))
            .col_expr(Column::Sort, Expr::value(input.sort.unwrap_or(0))),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("update", "contact", id, &after.region_code)
        .summary(format!("修改责任人 {}", after.name))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 作废 with a reason; past messages keep the name they were sent to.
pub async fn void(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<Contact> {
    require_edit(actor)?;
    let reason = crate::db::void_reason(reason)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    if before.voided {
        return Err(AppError::conflict("already_voided", "该责任人已作废"));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    crate::db::mark_voided::<Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let after = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("void", "contact", id, &after.region_code)
        .summary(format!("作废责任人 {}：{reason}", after.name))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}
