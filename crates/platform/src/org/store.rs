//! Department queries and changes, scoped, versioned and audited.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{self, Column, Entity};
use crate::access::{Actor, Scope, perm};
use crate::audit::{self, Entry};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::AppState;
use crate::web::form::{optional, valid_phone};
use crate::web::paging::{PageOf, Paging, fetch_page};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Department {
    pub id: Uuid,
    pub region_code: String,
    pub name: String,
    pub committees: Vec<String>,
    pub liaison_name: Option<String>,
    pub liaison_phone: Option<String>,
    pub duty_phone: Option<String>,
    pub sort: i32,
    pub voided: bool,
    pub void_reason: Option<String>,
    pub version: i32,
}

impl From<entity::Model> for Department {
    fn from(m: entity::Model) -> Self {
        Self {
            committees: m
                .committees
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            voided: m.voided_at.is_some(),
            id: m.id,
            region_code: m.region_code,
            name: m.name,
            liaison_name: m.liaison_name,
            liaison_phone: m.liaison_phone,
            duty_phone: m.duty_phone,
            sort: m.sort,
            void_reason: m.void_reason,
            version: m.version,
        }
    }
}

impl Department {
    pub fn committee_labels(&self) -> String {
        self.committees
            .iter()
            .map(|c| super::committee_label(c))
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn in_committee(&self, code: &str) -> bool {
        self.committees.iter().any(|c| c == code)
    }
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DepartmentFilter {
    pub q: Option<String>,
    pub committee: Option<String>,
    /// Include voided departments.
    pub voided: Option<bool>,
}

fn select(scope: &Scope, filter: &DepartmentFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find().filter(scope.condition(Column::RegionCode));
    if let Some(text) = optional(&filter.q) {
        q = q.filter(Column::Name.contains(text));
    }
    if let Some(code) = optional(&filter.committee) {
        q = q.filter(Column::Committees.contains(code));
    }
    if !filter.voided.unwrap_or(false) {
        q = q.filter(Column::VoidedAt.is_null());
    }
    q.order_by_asc(Column::Sort).order_by_asc(Column::Name)
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &DepartmentFilter,
    paging: Paging,
) -> AppResult<PageOf<Department>> {
    Ok(fetch_page(db, select(scope, filter), paging)
        .await?
        .map(Department::from))
}

/// Every live department in scope, for select boxes.
pub async fn all(db: &impl ConnectionTrait, scope: &Scope) -> AppResult<Vec<Department>> {
    Ok(select(scope, &DepartmentFilter::default())
        .all(db)
        .await?
        .into_iter()
        .map(Department::from)
        .collect())
}

pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> AppResult<Department> {
    Entity::find_by_id(id)
        .filter(scope.condition(Column::RegionCode))
        .one(db)
        .await?
        .map(Department::from)
        .ok_or(AppError::NotFound)
}

pub async fn exists_in_scope(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> AppResult<bool> {
    Ok(matches!(get(db, scope, id).await, Ok(d) if !d.voided))
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DepartmentInput {
    pub name: String,
    pub region_code: String,
    #[serde(default)]
    pub committees: Vec<String>,
    pub liaison_name: Option<String>,
    pub liaison_phone: Option<String>,
    pub duty_phone: Option<String>,
    pub sort: Option<i32>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

struct Valid {
    name: String,
    region_code: String,
    committees: String,
    liaison_name: Option<String>,
    liaison_phone: Option<String>,
    duty_phone: Option<String>,
    sort: i32,
}

async fn validate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &DepartmentInput,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 60 {
        errors.insert("name".into(), "部门名称为 1–60 个字".into());
    }
    let region_code = input.region_code.trim().to_string();
    if !actor.scope().contains(&region_code)
        || crate::regions::store::find(db, &region_code)
            .await?
            .is_none()
    {
        errors.insert("region_code".into(), "请选择您管辖范围内的区域".into());
    }
    let mut committees: Vec<&str> = Vec::new();
    for c in &input.committees {
        match super::COMMITTEES.iter().find(|(code, _)| code == c) {
            Some((code, _)) => committees.push(code),
            None => {
                errors.insert("committees".into(), format!("未知的议事协调机构 {c}"));
            }
        }
    }
    committees.sort_unstable();
    committees.dedup();
    let liaison_name = optional(&input.liaison_name);
    if liaison_name
        .as_deref()
        .is_some_and(|n| n.chars().count() > 32)
    {
        errors.insert("liaison_name".into(), "联络员姓名不超过 32 个字".into());
    }
    let (liaison_phone, duty_phone) = (optional(&input.liaison_phone), optional(&input.duty_phone));
    if !valid_phone(&liaison_phone) {
        errors.insert(
            "liaison_phone".into(),
            "电话只能包含数字和连字符，5–20 位".into(),
        );
    }
    if !valid_phone(&duty_phone) {
        errors.insert(
            "duty_phone".into(),
            "电话只能包含数字和连字符，5–20 位".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Valid {
        name,
        region_code,
        committees: committees.join(","),
        liaison_name,
        liaison_phone,
        duty_phone,
        sort: input.sort.unwrap_or(0),
    })
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    input: &DepartmentInput,
) -> AppResult<Department> {
    actor.require(perm::ADMIN_ORG)?;
    let v = validate(&state.db, actor, input).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let model = entity::ActiveModel {
        name: Set(v.name),
        committees: Set(v.committees),
        liaison_name: Set(v.liaison_name),
        liaison_phone: Set(v.liaison_phone),
        duty_phone: Set(v.duty_phone),
        sort: Set(v.sort),
        ..crate::db::new_record(Uuid::now_v7(), v.region_code, Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let dept = Department::from(model);
    let entry = Entry::new("create", "department", dept.id, &dept.region_code)
        .summary(format!("新增部门 {}", dept.name))
        .after(&dept);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(dept)
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &DepartmentInput,
) -> AppResult<Department> {
    actor.require(perm::ADMIN_ORG)?;
    let before = get(&state.db, &actor.scope(), id).await?;
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
            .col_expr(Column::RegionCode, Expr::value(v.region_code))
            .col_expr(Column::Committees, Expr::value(v.committees))
            .col_expr(Column::LiaisonName, Expr::value(v.liaison_name))
            .col_expr(Column::LiaisonPhone, Expr::value(v.liaison_phone))
            .col_expr(Column::DutyPhone, Expr::value(v.duty_phone))
            .col_expr(Column::Sort, Expr::value(v.sort)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("update", "department", id, &after.region_code)
        .summary(format!("修改部门 {}", after.name))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 作废: departments are voided with a reason, never deleted.
pub async fn void(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    reason: &str,
) -> AppResult<Department> {
    actor.require(perm::ADMIN_ORG)?;
    let reason = crate::db::void_reason(reason)?;
    let before = get(&state.db, &actor.scope(), id).await?;
    if before.voided {
        return Err(AppError::conflict("already_voided", "该部门已作废"));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    crate::db::mark_voided::<Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let after = get(&txn, &actor.scope(), id).await?;
    let entry = Entry::new("void", "department", id, &after.region_code)
        .summary(format!("作废部门 {}：{reason}", after.name))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}
