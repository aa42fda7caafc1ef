//! Supervised-unit queries and changes, scoped, versioned and audited.

use std::collections::HashMap;

use chrono::NaiveDate;
use platform::access::{Actor, Scope, perm};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::{de_number, optional, parse_date, valid_phone};
use platform::web::paging::{Dir, PageOf, Paging, Sort, SortColumn, Sorts, fetch_page};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{licence, unit};
use super::model::{self, Expiry};
use crate::credit_code::CreditCode;

/// The code table of unit industries.
pub const INDUSTRY_DICT: &str = "unit_industry";

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Licence {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub kind: String,
    pub number: String,
    pub valid_from: Option<NaiveDate>,
    pub expires_on: NaiveDate,
    /// For fireworks retail outlets licensed per season, e.g. 2027年春节.
    pub season: Option<String>,
    /// As of today in UTC+8.
    pub expiry: Expiry,
}

impl Licence {
    fn from_model(m: licence::Model, today: NaiveDate) -> Self {
        Self {
            expiry: Expiry::of(m.expires_on, today),
            id: m.id,
            unit_id: m.unit_id,
            kind: m.kind,
            number: m.number,
            valid_from: m.valid_from,
            expires_on: m.expires_on,
            season: m.season,
        }
    }

    pub fn expiry_label(&self) -> &'static str {
        self.expiry.label()
    }

    pub fn expiry_class(&self) -> &'static str {
        self.expiry.class()
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: Uuid,
    pub region_code: String,
    pub region_name: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub industry_code: String,
    pub industry_edition: String,
    pub industry_label: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub legal_representative: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub department_id: Option<Uuid>,
    pub department_name: Option<String>,
    pub risk_level: Option<String>,
    pub status: String,
    pub note: Option<String>,
    /// Live licences, soonest expiry first.
    pub licences: Vec<Licence>,
    pub voided: bool,
    pub void_reason: Option<String>,
    pub version: i32,
}

impl Unit {
    fn bare(m: unit::Model) -> Self {
        Self {
            voided: m.voided_at.is_some(),
            id: m.id,
            region_name: m.region_code.clone(),
            region_code: m.region_code,
            name: m.name,
            credit_code: m.credit_code,
            industry_label: m.industry_code.clone(),
            industry_code: m.industry_code,
            industry_edition: m.industry_edition,
            address: m.address,
            latitude: m.latitude,
            longitude: m.longitude,
            legal_representative: m.legal_representative,
            contact_name: m.contact_name,
            contact_phone: m.contact_phone,
            department_id: m.department_id,
            department_name: None,
            risk_level: m.risk_level,
            status: m.status,
            note: m.note,
            licences: Vec::new(),
            void_reason: m.void_reason,
            version: m.version,
        }
    }

    pub fn status_label(&self) -> &'static str {
        model::status_label(&self.status)
    }

    pub fn risk_label(&self) -> &'static str {
        self.risk_level
            .as_deref()
            .map(model::risk_label)
            .unwrap_or("")
    }

    pub fn risk_class(&self) -> &'static str {
        self.risk_level
            .as_deref()
            .map(model::risk_class)
            .unwrap_or("gray")
    }

    pub fn status_class(&self) -> &'static str {
        match self.status.as_str() {
            "operating" => "green",
            "suspended" => "orange",
            _ => "gray",
        }
    }

    /// The worst licence state: expired before expiring.
    pub fn worst_expiry(&self) -> Option<Expiry> {
        self.licences
            .iter()
            .map(|l| l.expiry)
            .filter(|e| *e != Expiry::Valid)
            .max_by_key(|e| matches!(e, Expiry::Expired))
    }

    pub fn coordinates(&self) -> String {
        match (self.latitude, self.longitude) {
            (Some(lat), Some(lon)) => format!("{lat:.6}, {lon:.6}"),
            _ => String::new(),
        }
    }
}

/// Today's date in China.
pub fn today(state: &AppState) -> NaiveDate {
    state
        .now()
        .with_timezone(&platform::clock::china())
        .date_naive()
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct UnitFilter {
    /// Name or credit code contains.
    pub q: Option<String>,
    /// A township's 12-digit code: its units and its villages' units.
    pub township: Option<String>,
    pub industry: Option<String>,
    /// red | orange | yellow | blue
    pub risk: Option<String>,
    /// operating | suspended | closed
    pub status: Option<String>,
    /// `expiring` (within 30 days or expired) or `expired`.
    pub licence: Option<String>,
    /// Include voided units.
    pub voided: Option<bool>,
}

fn select(scope: &Scope, filter: &UnitFilter, today: NaiveDate) -> sea_orm::Select<unit::Entity> {
    use unit::Column;
    let mut q = unit::Entity::find().filter(scope.condition(Column::RegionCode));
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            Column::Name
                .contains(&text)
                .or(Column::CreditCode.contains(text.to_ascii_uppercase())),
        );
    }
    if let Some(code) = optional(&filter.township) {
        let prefix: String = code.chars().take(9).collect();
        q = q.filter(Column::RegionCode.starts_with(prefix));
    }
    if let Some(code) = optional(&filter.industry) {
        q = q.filter(Column::IndustryCode.eq(code));
    }
    if let Some(code) = optional(&filter.risk) {
        q = q.filter(Column::RiskLevel.eq(code));
    }
    if let Some(code) = optional(&filter.status) {
        q = q.filter(Column::Status.eq(code));
    }
    if let Some(which) = optional(&filter.licence) {
        let limit = match which.as_str() {
            "expired" => today.pred_opt().unwrap_or(today),
            _ => today + chrono::Duration::days(model::EXPIRY_WARNING_DAYS),
        };
        let licensed = licence::Entity::find()
            .select_only()
            .column(licence::Column::UnitId)
            .filter(licence::Column::VoidedAt.is_null())
            .filter(licence::Column::ExpiresOn.lte(limit))
            .into_query();
        q = q.filter(Column::Id.in_subquery(licensed));
    }
    if !filter.voided.unwrap_or(false) {
        q = q.filter(Column::VoidedAt.is_null());
    }
    q
}

/// The columns the unit list can be sorted by (`?sort=`); the first is its usual order.
pub static SORTS: Sorts<unit::Column> = Sorts {
    columns: &[
        SortColumn {
            key: "name",
            column: unit::Column::Name,
            first: Dir::Asc,
        },
        SortColumn {
            key: "credit_code",
            column: unit::Column::CreditCode,
            first: Dir::Asc,
        },
        SortColumn {
            key: "region",
            column: unit::Column::RegionCode,
            first: Dir::Asc,
        },
    ],
    then: &[(unit::Column::Name, Dir::Asc), (unit::Column::Id, Dir::Asc)],
};

/// Fill in labels (industry, region, department) and live licences, with few queries.
async fn decorate(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    models: Vec<unit::Model>,
) -> AppResult<Vec<Unit>> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut licences: HashMap<Uuid, Vec<Licence>> = HashMap::new();
    if !ids.is_empty() {
        for l in licence::Entity::find()
            .filter(licence::Column::UnitId.is_in(ids))
            .filter(licence::Column::VoidedAt.is_null())
            .order_by_asc(licence::Column::ExpiresOn)
            .all(db)
            .await?
        {
            licences
                .entry(l.unit_id)
                .or_default()
                .push(Licence::from_model(l, today));
        }
    }
    let mut industries: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut regions: HashMap<String, String> = HashMap::new();
    let mut departments: HashMap<Uuid, Option<String>> = HashMap::new();
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let mut u = Unit::bare(m);
        if !industries.contains_key(&u.industry_edition) {
            let labels =
                platform::dicts::store::labels(db, INDUSTRY_DICT, Some(&u.industry_edition))
                    .await?;
            industries.insert(u.industry_edition.clone(), labels);
        }
        if let Some(label) = industries[&u.industry_edition].get(&u.industry_code) {
            u.industry_label = label.clone();
        }
        if !regions.contains_key(&u.region_code) {
            let name = platform::regions::store::find(db, &u.region_code)
                .await?
                .map(|r| r.short_name)
                .unwrap_or_else(|| u.region_code.clone());
            regions.insert(u.region_code.clone(), name);
        }
        u.region_name = regions[&u.region_code].clone();
        if let Some(id) = u.department_id {
            let known = departments.get(&id).cloned();
            u.department_name = if let Some(name) = known {
                name
            } else {
                let name = platform::org::store::get(db, &county_of(&u.region_code), id)
                    .await
                    .ok()
                    .map(|d| d.name);
                departments.insert(id, name.clone());
                name
            };
        }
        u.licences = licences.remove(&u.id).unwrap_or_default();
        out.push(u);
    }
    Ok(out)
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &UnitFilter,
    sort: &Sort<unit::Column>,
    paging: Paging,
    today: NaiveDate,
) -> AppResult<PageOf<Unit>> {
    let page = fetch_page(db, sort.apply(select(scope, filter, today)), paging).await?;
    let items = decorate(db, today, page.items).await?;
    Ok(PageOf {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching unit up to `limit` in the list's order, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &UnitFilter,
    sort: &Sort<unit::Column>,
    today: NaiveDate,
    limit: u64,
) -> AppResult<Vec<Unit>> {
    let models = sort
        .apply(select(scope, filter, today))
        .limit(limit)
        .all(db)
        .await?;
    decorate(db, today, models).await
}

pub async fn get(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    today: NaiveDate,
) -> AppResult<Unit> {
    let m = unit::Entity::find_by_id(id)
        .filter(scope.condition(unit::Column::RegionCode))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(db, today, vec![m]).await?.remove(0))
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct UnitInput {
    pub name: String,
    pub credit_code: Option<String>,
    pub industry_code: String,
    /// A township or village code inside the actor's scope.
    pub region_code: String,
    pub address: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<f64>)]
    pub latitude: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    #[schema(value_type = Option<f64>)]
    pub longitude: Option<String>,
    pub legal_representative: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub department_id: Option<String>,
    /// red | orange | yellow | blue
    pub risk_level: Option<String>,
    /// operating | suspended | closed (default operating)
    pub status: Option<String>,
    pub note: Option<String>,
    /// On edit: the version the form was loaded at.
    pub version: Option<i32>,
}

impl UnitInput {
    pub fn from_unit(u: &Unit) -> Self {
        Self {
            name: u.name.clone(),
            credit_code: u.credit_code.clone(),
            industry_code: u.industry_code.clone(),
            region_code: u.region_code.clone(),
            address: u.address.clone(),
            latitude: u.latitude.map(|v| v.to_string()),
            longitude: u.longitude.map(|v| v.to_string()),
            legal_representative: u.legal_representative.clone(),
            contact_name: u.contact_name.clone(),
            contact_phone: u.contact_phone.clone(),
            department_id: u.department_id.map(|d| d.to_string()),
            risk_level: u.risk_level.clone(),
            status: Some(u.status.clone()),
            note: u.note.clone(),
            version: Some(u.version),
        }
    }
}

struct Valid {
    name: String,
    credit_code: Option<String>,
    industry_code: String,
    industry_edition: String,
    region_code: String,
    address: Option<String>,
    coordinates: Option<(f64, f64)>,
    legal_representative: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    department_id: Option<Uuid>,
    risk_level: Option<String>,
    status: String,
    note: Option<String>,
}

fn short_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &Option<String>,
    max: usize,
    label: &str,
) -> Option<String> {
    let v = optional(value);
    if v.as_deref().is_some_and(|t| t.chars().count() > max) {
        errors.insert(field.into(), format!("{label}不超过 {max} 个字"));
    }
    v
}

fn parse_coordinate(errors: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<f64> {
    let text = optional(value)?;
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            errors.insert(field.into(), "请填写数字，如 31.0950".into());
            None
        }
    }
}

/// Check one unit's input; `editing` is the unit being changed (its own credit code is fine).
pub async fn check(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &UnitInput,
    editing: Option<Uuid>,
) -> Result<(), FieldErrors> {
    match validate(db, actor, input, editing).await {
        Ok(_) => Ok(()),
        Err(AppError::Validation(f)) => Err(f),
        Err(other) => {
            let mut f = FieldErrors::new();
            f.insert("_".into(), other.to_string());
            Err(f)
        }
    }
}

async fn validate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &UnitInput,
    editing: Option<Uuid>,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    if !model::valid_name(&name) {
        errors.insert("name".into(), "单位名称为 1–100 个字".into());
    }
    let mut credit_code = None;
    if let Some(raw) = optional(&input.credit_code) {
        match CreditCode::parse(&raw) {
            Ok(code) => {
                let mut dup = unit::Entity::find()
                    .filter(unit::Column::CreditCode.eq(code.as_str()))
                    .filter(unit::Column::VoidedAt.is_null());
                if let Some(id) = editing {
                    dup = dup.filter(unit::Column::Id.ne(id));
                }
                if let Some(other) = dup.one(db).await? {
                    errors.insert(
                        "credit_code".into(),
                        format!("该统一社会信用代码已登记为「{}」", other.name),
                    );
                }
                credit_code = Some(code.to_string());
            }
            Err(e) => {
                errors.insert("credit_code".into(), e.to_string());
            }
        }
    }
    let mut industry_edition = String::new();
    match platform::dicts::store::find_current(db, INDUSTRY_DICT, &input.industry_code).await? {
        Some(item) => industry_edition = item.edition,
        None => {
            errors.insert("industry_code".into(), "请选择行业类别".into());
        }
    }
    let region_code = input.region_code.trim().to_string();
    let region = if actor.scope().contains(&region_code) {
        platform::regions::store::find(db, &region_code).await?
    } else {
        None
    };
    if !region.is_some_and(|r| {
        matches!(
            r.level,
            platform::regions::Level::Township | platform::regions::Level::Village
        )
    }) {
        errors.insert(
            "region_code".into(),
            "请选择您管辖范围内的乡镇或村（社区）".into(),
        );
    }
    let address = short_text(&mut errors, "address", &input.address, 200, "地址");
    let latitude = parse_coordinate(&mut errors, "latitude", &input.latitude);
    let longitude = parse_coordinate(&mut errors, "longitude", &input.longitude);
    let mut coordinates = None;
    if !errors.contains_key("latitude") && !errors.contains_key("longitude") {
        match model::check_coordinates(latitude, longitude) {
            Ok(c) => coordinates = c,
            Err(message) => {
                errors.insert("latitude".into(), message.into());
            }
        }
    }
    let legal_representative = short_text(
        &mut errors,
        "legal_representative",
        &input.legal_representative,
        32,
        "法定代表人",
    );
    let contact_name = short_text(
        &mut errors,
        "contact_name",
        &input.contact_name,
        32,
        "安全联系人",
    );
    let contact_phone = optional(&input.contact_phone);
    if !valid_phone(&contact_phone) {
        errors.insert(
            "contact_phone".into(),
            "电话只能包含数字和连字符，5–20 位".into(),
        );
    }
    let mut department_id = None;
    if let Some(raw) = optional(&input.department_id) {
        match Uuid::parse_str(&raw) {
            Ok(id)
                if platform::org::store::exists_in_scope(db, &county_of(&region_code), id)
                    .await? =>
            {
                department_id = Some(id);
            }
            _ => {
                errors.insert("department_id".into(), "请选择本县（区）的监管部门".into());
            }
        }
    }
    let risk_level = optional(&input.risk_level);
    if risk_level
        .as_deref()
        .is_some_and(|r| !model::is_risk_level(r))
    {
        errors.insert("risk_level".into(), "风险等级应为红、橙、黄、蓝之一".into());
    }
    let status = optional(&input.status).unwrap_or_else(|| "operating".to_string());
    if !model::is_status(&status) {
        errors.insert("status".into(), "状态应为在产、停产、关闭之一".into());
    }
    let note = short_text(&mut errors, "note", &input.note, 500, "备注");
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Valid {
        name,
        credit_code,
        industry_code: input.industry_code.trim().to_string(),
        industry_edition,
        region_code,
        address,
        coordinates,
        legal_representative,
        contact_name,
        contact_phone,
        department_id,
        risk_level,
        status,
        note,
    })
}

fn active(
    v: Valid,
    id: Uuid,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> unit::ActiveModel {
    unit::ActiveModel {
        name: Set(v.name),
        credit_code: Set(v.credit_code),
        industry_code: Set(v.industry_code),
        industry_edition: Set(v.industry_edition),
        address: Set(v.address),
        latitude: Set(v.coordinates.map(|c| c.0)),
        longitude: Set(v.coordinates.map(|c| c.1)),
        legal_representative: Set(v.legal_representative),
        contact_name: Set(v.contact_name),
        contact_phone: Set(v.contact_phone),
        department_id: Set(v.department_id),
        risk_level: Set(v.risk_level),
        status: Set(v.status),
        note: Set(v.note),
        ..platform::db::new_record(id, v.region_code, Some(actor.user_id), now)
    }
}

pub async fn create(state: &AppState, actor: &Actor, input: &UnitInput) -> AppResult<Unit> {
    actor.require(perm::SAFETY_EDIT)?;
    let v = validate(&state.db, actor, input, None).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let id = Uuid::now_v7();
    active(v, id, actor, now).insert(&txn).await?;
    let created = get(&txn, &actor.scope(), id, today(state)).await?;
    let entry = Entry::new("create", "safety_unit", id, &created.region_code)
        .summary(format!("新增监管对象 {}", created.name))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// Create many units in one transaction: all or none (the XLSX import).
pub async fn create_all(state: &AppState, actor: &Actor, inputs: &[UnitInput]) -> AppResult<usize> {
    actor.require(perm::SAFETY_EDIT)?;
    let mut valid = Vec::with_capacity(inputs.len());
    for input in inputs {
        valid.push(validate(&state.db, actor, input, None).await?);
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    for v in valid {
        let id = Uuid::now_v7();
        active(v, id, actor, now).insert(&txn).await?;
        let created = get(&txn, &actor.scope(), id, today(state)).await?;
        let entry = Entry::new("create", "safety_unit", id, &created.region_code)
            .summary(format!("导入监管对象 {}", created.name))
            .after(&created);
        audit::record(&txn, actor, now, entry).await?;
    }
    txn.commit().await?;
    Ok(inputs.len())
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &UnitInput,
) -> AppResult<Unit> {
    use unit::Column;
    actor.require(perm::SAFETY_EDIT)?;
    let day = today(state);
    let before = get(&state.db, &actor.scope(), id, day).await?;
    if before.voided {
        return Err(AppError::conflict(
            "already_voided",
            "该监管对象已作废，不能修改",
        ));
    }
    let v = validate(&state.db, actor, input, Some(id)).await?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        unit::Entity::update_many()
            .col_expr(Column::Name, Expr::value(v.name))
            .col_expr(Column::CreditCode, Expr::value(v.credit_code))
            .col_expr(Column::IndustryCode, Expr::value(v.industry_code))
            .col_expr(Column::IndustryEdition, Expr::value(v.industry_edition))
            .col_expr(Column::RegionCode, Expr::value(v.region_code.clone()))
            .col_expr(Column::Address, Expr::value(v.address))
            .col_expr(Column::Latitude, Expr::value(v.coordinates.map(|c| c.0)))
            .col_expr(Column::Longitude, Expr::value(v.coordinates.map(|c| c.1)))
            .col_expr(
                Column::LegalRepresentative,
                Expr::value(v.legal_representative),
            )
            .col_expr(Column::ContactName, Expr::value(v.contact_name))
            .col_expr(Column::ContactPhone, Expr::value(v.contact_phone))
            .col_expr(Column::DepartmentId, Expr::value(v.department_id))
            .col_expr(Column::RiskLevel, Expr::value(v.risk_level))
            .col_expr(Column::Status, Expr::value(v.status))
            .col_expr(Column::Note, Expr::value(v.note)),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    // Licences follow their unit's region (scope).
    licence::Entity::update_many()
        .col_expr(licence::Column::RegionCode, Expr::value(v.region_code))
        .filter(licence::Column::UnitId.eq(id))
        .exec(&txn)
        .await?;
    let after = get(&txn, &actor.scope(), id, day).await?;
    let entry = Entry::new("update", "safety_unit", id, &after.region_code)
        .summary(format!("修改监管对象 {}", after.name))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 作废: units are voided with a reason, never deleted.
pub async fn void(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<Unit> {
    actor.require(perm::SAFETY_EDIT)?;
    let reason = platform::db::void_reason(reason)?;
    let day = today(state);
    let before = get(&state.db, &actor.scope(), id, day).await?;
    if before.voided {
        return Err(AppError::conflict("already_voided", "该监管对象已作废"));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<unit::Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let after = get(&txn, &actor.scope(), id, day).await?;
    let entry = Entry::new("void", "safety_unit", id, &after.region_code)
        .summary(format!("作废监管对象 {}：{reason}", after.name))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct LicenceInput {
    /// e.g. 危险化学品经营许可证, 烟花爆竹经营（零售）许可证
    pub kind: String,
    pub number: String,
    /// YYYY-MM-DD, optional.
    pub valid_from: Option<String>,
    /// YYYY-MM-DD.
    pub expires_on: String,
    /// For licences granted per season, e.g. 2027年春节.
    pub season: Option<String>,
}

pub async fn add_licence(
    state: &AppState,
    actor: &Actor,
    unit_id: Uuid,
    input: &LicenceInput,
) -> AppResult<Licence> {
    actor.require(perm::SAFETY_EDIT)?;
    let day = today(state);
    let owner = get(&state.db, &actor.scope(), unit_id, day).await?;
    if owner.voided {
        return Err(AppError::conflict("already_voided", "该监管对象已作废"));
    }
    let mut errors = FieldErrors::new();
    let kind = input.kind.trim().to_string();
    if kind.is_empty() || kind.chars().count() > 60 {
        errors.insert("kind".into(), "许可证种类为 1–60 个字".into());
    }
    let number = input.number.trim().to_string();
    if number.is_empty() || number.chars().count() > 60 {
        errors.insert("number".into(), "许可证编号为 1–60 个字".into());
    }
    let valid_from = match optional(&input.valid_from) {
        None => None,
        Some(t) => match parse_date(&t) {
            Some(d) => Some(d),
            None => {
                errors.insert("valid_from".into(), "日期格式应为 2027-01-31".into());
                None
            }
        },
    };
    let expires_on = parse_date(&input.expires_on);
    match expires_on {
        None => {
            errors.insert(
                "expires_on".into(),
                "请填写有效期至，格式如 2027-01-31".into(),
            );
        }
        Some(end) if valid_from.is_some_and(|start| start > end) => {
            errors.insert("expires_on".into(), "有效期至不能早于发证日期".into());
        }
        _ => {}
    }
    let season = short_text(&mut errors, "season", &input.season, 30, "许可季节");
    let Some(expires_on) = expires_on.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let now = state.now();
    let txn = state.db.begin().await?;
    let model = licence::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(unit_id),
        region_code: Set(owner.region_code.clone()),
        kind: Set(kind),
        number: Set(number),
        valid_from: Set(valid_from),
        expires_on: Set(expires_on),
        season: Set(season),
        created_at: Set(now),
        created_by: Set(Some(actor.user_id)),
        updated_at: Set(now),
        updated_by: Set(Some(actor.user_id)),
        voided_at: Set(None),
        void_reason: Set(None),
    }
    .insert(&txn)
    .await?;
    let added = Licence::from_model(model, day);
    let entry = Entry::new("update", "safety_unit", unit_id, &owner.region_code)
        .summary(format!(
            "监管对象 {} 新增许可证 {} {}（有效期至 {}）",
            owner.name, added.kind, added.number, added.expires_on
        ))
        .after(&added);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(added)
}

/// Remove (void) a licence; the unit's history keeps it.
pub async fn void_licence(
    state: &AppState,
    actor: &Actor,
    licence_id: Uuid,
    reason: &str,
) -> AppResult<Licence> {
    actor.require(perm::SAFETY_EDIT)?;
    let found = licence::Entity::find_by_id(licence_id)
        .filter(actor.scope().condition(licence::Column::RegionCode))
        .filter(licence::Column::VoidedAt.is_null())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let day = today(state);
    let owner = get(&state.db, &actor.scope(), found.unit_id, day).await?;
    let reason = optional(&Some(reason.to_string())).unwrap_or_else(|| "删除".to_string());
    let now = state.now();
    let txn = state.db.begin().await?;
    licence::Entity::update_many()
        .col_expr(licence::Column::VoidedAt, Expr::value(Some(now)))
        .col_expr(
            licence::Column::VoidReason,
            Expr::value(Some(reason.chars().take(200).collect::<String>())),
        )
        .col_expr(licence::Column::UpdatedAt, Expr::value(now))
        .col_expr(licence::Column::UpdatedBy, Expr::value(Some(actor.user_id)))
        .filter(licence::Column::Id.eq(licence_id))
        .exec(&txn)
        .await?;
    let removed = Licence::from_model(found, day);
    let entry = Entry::new("update", "safety_unit", owner.id, &owner.region_code)
        .summary(format!(
            "监管对象 {} 删除许可证 {} {}：{reason}",
            owner.name, removed.kind, removed.number
        ))
        .before(&removed);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(removed)
}

/// Supervising departments are county-level member units: a unit may name any department of
/// its own county, whoever registers it.
pub fn county_of(region_code: &str) -> Scope {
    Scope::of(&format!(
        "{}000000",
        region_code.get(..6).unwrap_or_default()
    ))
}

/// How many units a filter's list shows (the statistics count what the list lists).
pub async fn count(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &UnitFilter,
    today: NaiveDate,
) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(select(scope, filter, today).count(db).await?)
}

/// A unit as a choice in a form or filter.
pub struct UnitChoice {
    pub id: Uuid,
    pub name: String,
}

/// Every live unit of `scope` by name, for a form's unit field (up to 5,000).
pub async fn all_choices(db: &impl ConnectionTrait, scope: &Scope) -> AppResult<Vec<UnitChoice>> {
    choices(db, scope, 5000).await
}

/// The names of these units by id (voided ones too: a record keeps its unit's name), reading
/// only the two columns.
pub async fn names(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> AppResult<std::collections::HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(Uuid, String)> = unit::Entity::find()
        .select_only()
        .columns([unit::Column::Id, unit::Column::Name])
        .filter(unit::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The live units of `scope` by name, at most `limit`.
pub async fn choices(
    db: &impl ConnectionTrait,
    scope: &Scope,
    limit: u64,
) -> AppResult<Vec<UnitChoice>> {
    let rows: Vec<(Uuid, String)> = unit::Entity::find()
        .select_only()
        .columns([unit::Column::Id, unit::Column::Name])
        .filter(scope.condition(unit::Column::RegionCode))
        .filter(unit::Column::VoidedAt.is_null())
        .order_by_asc(unit::Column::Name)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| UnitChoice { id, name })
        .collect())
}
