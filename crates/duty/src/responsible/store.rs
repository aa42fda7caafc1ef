//! Responsible persons' queries and changes, scoped and audited.
//! - Readers: DUTY_VIEW holders read the persons of their scope (a township its own).
//! - Writers: DUTY_EDIT holders keep the persons of their scope — a township's staff their
//!   township's, the county's duty editors all of the county's.
//! - The public page reads one township's persons without a login; the county's duty editors
//!   choose whether it shows phone numbers in full or masked.

use std::collections::HashMap;

use platform::access::{Actor, perm};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::{county_of, township_of};
use platform::web::AppState;
use platform::web::form::{optional, text_field};
use platform::web::paging::{PageOf, Paging, fetch_page};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{person, setting};
use super::model::{self, ObjectKind, PersonRole, PhoneDisplay};
use crate::rosters::store::is_writer;

pub const KIND_PERSON: &str = "duty_responsible_person";
pub const KIND_SETTING: &str = "duty_publication_setting";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("duty.responsible.import", "导入责任人"),
    ("duty.responsible.display", "设置公示电话显示方式"),
];

/// 责任人.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Person {
    pub id: Uuid,
    /// The township or village.
    pub region_code: String,
    pub township_code: String,
    pub township_name: String,
    /// The village's short name, for a village's (or an object in a village's) person.
    pub village_name: Option<String>,
    pub year: i32,
    pub kind: ObjectKind,
    pub object_name: Option<String>,
    pub role: PersonRole,
    pub name: String,
    pub post: Option<String>,
    pub phone: String,
    pub contact_id: Option<Uuid>,
    pub voided: bool,
    pub version: i32,
}

impl Person {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    pub fn role_label(&self) -> &'static str {
        self.role.label()
    }

    /// What the person answers for: 潼川镇, 金河村, 黑虎水库.
    pub fn object(&self) -> String {
        match (&self.object_name, &self.village_name) {
            (Some(o), _) => o.clone(),
            (None, Some(v)) => v.clone(),
            (None, None) => self.township_name.clone(),
        }
    }

    pub fn village(&self) -> &str {
        self.village_name.as_deref().unwrap_or("")
    }

    pub fn post_text(&self) -> &str {
        self.post.as_deref().unwrap_or("")
    }
}

async fn decorate(db: &impl ConnectionTrait, models: Vec<person::Model>) -> AppResult<Vec<Person>> {
    let mut codes: Vec<String> = Vec::new();
    for m in &models {
        codes.push(m.region_code.clone());
        codes.push(township_of(&m.region_code));
    }
    let names = platform::regions::store::short_names(db, codes).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let township_code = township_of(&m.region_code);
            let village_name = (m.region_code != township_code)
                .then(|| names.get(&m.region_code).cloned().unwrap_or_default());
            Person {
                township_name: names.get(&township_code).cloned().unwrap_or_default(),
                township_code,
                village_name,
                id: m.id,
                region_code: m.region_code,
                year: m.year,
                kind: ObjectKind::parse(&m.kind).unwrap_or(ObjectKind::Township),
                object_name: m.object_name,
                role: PersonRole::parse(&m.role).unwrap_or(PersonRole::Administrative),
                name: m.name,
                post: m.post,
                phone: m.phone,
                contact_id: m.contact_id,
                voided: m.voided_at.is_some(),
                version: m.version,
            }
        })
        .collect())
}

/// The list's filter.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct PersonFilter {
    /// A year, e.g. 2026.
    pub year: Option<String>,
    /// township | village | reservoir | dike | hazard_point
    pub kind: Option<String>,
    /// administrative | technical | patrol | monitor
    pub role: Option<String>,
    /// A township's code (its villages included).
    pub township: Option<String>,
    /// Words in the name, post, phone or object.
    pub q: Option<String>,
}

fn select(actor: &Actor, filter: &PersonFilter) -> AppResult<sea_orm::Select<person::Entity>> {
    use person::Column;
    actor.require(perm::DUTY_VIEW)?;
    let mut q = person::Entity::find()
        .filter(actor.scope().condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null());
    if let Some(year) = optional(&filter.year) {
        let year: i32 = year
            .parse()
            .map_err(|_| AppError::bad_request("invalid_query", "年度格式不正确"))?;
        q = q.filter(Column::Year.eq(year));
    }
    if let Some(kind) = optional(&filter.kind) {
        q = q.filter(Column::Kind.eq(kind));
    }
    if let Some(role) = optional(&filter.role) {
        q = q.filter(Column::Role.eq(role));
    }
    if let Some(t) = optional(&filter.township) {
        let prefix: String = t.chars().take(9).collect();
        q = q.filter(Column::RegionCode.starts_with(prefix));
    }
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            Condition::any()
                .add(Column::Name.contains(&text))
                .add(Column::Post.contains(&text))
                .add(Column::Phone.contains(&text))
                .add(Column::ObjectName.contains(&text)),
        );
    }
    Ok(q.order_by_desc(Column::Year)
        .order_by_asc(Column::RegionCode)
        .order_by_asc(Column::Kind)
        .order_by_asc(Column::ObjectName)
        .order_by_asc(Column::Role)
        .order_by_asc(Column::Id))
}

pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &PersonFilter,
    paging: Paging,
) -> AppResult<PageOf<Person>> {
    let page = fetch_page(db, select(actor, filter)?, paging).await?;
    Ok(PageOf {
        items: decorate(db, page.items).await?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Every matching person up to `limit`, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &PersonFilter,
    limit: u64,
) -> AppResult<Vec<Person>> {
    let models = select(actor, filter)?.limit(limit).all(db).await?;
    decorate(db, models).await
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Person> {
    actor.require(perm::DUTY_VIEW)?;
    let m = person::Entity::find_by_id(id)
        .filter(actor.scope().condition(person::Column::RegionCode))
        .filter(person::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(db, vec![m]).await?.remove(0))
}

/// A person as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PersonInput {
    /// township | village | reservoir | dike | hazard_point
    #[serde(default)]
    pub kind: String,
    /// The reservoir's, dike's or hazard point's name.
    pub object_name: Option<String>,
    /// The township's or the village's code.
    #[serde(default)]
    pub region_code: String,
    /// administrative | technical | patrol | monitor
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub name: String,
    pub post: Option<String>,
    #[serde(default)]
    pub phone: String,
    /// e.g. 2026
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub year: Option<String>,
    /// A 责任人通讯录 entry to link, if any.
    pub contact_id: Option<String>,
    /// The version read, when editing.
    pub version: Option<i32>,
}

/// A checked person, ready to store.
#[derive(Clone, Debug)]
pub struct Checked {
    pub region_code: String,
    pub year: i32,
    pub kind: ObjectKind,
    pub object_name: Option<String>,
    pub role: PersonRole,
    pub name: String,
    pub post: Option<String>,
    pub phone: String,
    pub contact_id: Option<Uuid>,
}

/// Every check of the form, with its errors beside the fields.
pub async fn checked(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &PersonInput,
) -> AppResult<Checked> {
    actor.require(perm::DUTY_EDIT)?;
    let mut errors = FieldErrors::new();
    let kind = ObjectKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.insert(
            "kind".into(),
            "请选择类别（乡镇、村（社区）、水库、堤防、地灾隐患点）".into(),
        );
    }
    let role = PersonRole::parse(input.role.trim());
    if role.is_none() {
        errors.insert(
            "role".into(),
            "请选择责任类别（行政责任人、技术责任人、巡查责任人、监测员）".into(),
        );
    }
    let object_name = text_field(
        &mut errors,
        "object_name",
        &input.object_name,
        100,
        "对象名称",
    );
    match kind {
        Some(k) if k.is_named() && object_name.is_none() => {
            errors.insert("object_name".into(), format!("请填写{}名称", k.label()));
        }
        _ => {}
    }
    let region_code = input.region_code.trim().to_string();
    if region_code.is_empty() {
        errors.insert("region_code".into(), "请选择乡镇或村（社区）".into());
    } else if !actor.scope().contains(&region_code) {
        errors.insert(
            "region_code".into(),
            "该地区不存在或不在您的管辖范围内".into(),
        );
    } else if let Some(k) = kind {
        match model::check_place(k, &region_code) {
            Err(message) => {
                errors.insert("region_code".into(), message.into());
            }
            Ok(()) => {
                if platform::regions::store::find(db, &region_code)
                    .await?
                    .is_none()
                {
                    errors.insert("region_code".into(), "没有这个乡镇或村（社区）".into());
                }
            }
        }
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.insert("name".into(), "请填写姓名".into());
    } else if name.chars().count() > 50 {
        errors.insert("name".into(), "姓名不超过 50 个字".into());
    }
    let post = text_field(&mut errors, "post", &input.post, 100, "职务");
    let phone = input.phone.trim().to_string();
    if phone.is_empty() {
        errors.insert("phone".into(), "请填写联系电话".into());
    } else if !model::valid_phone(&phone) {
        errors.insert("phone".into(), model::PHONE_HINT.into());
    }
    let year = match optional(&input.year) {
        None => {
            errors.insert("year".into(), "请填写年度".into());
            None
        }
        Some(y) => match y.parse::<i32>() {
            Ok(y) if model::valid_year(y) => Some(y),
            _ => {
                errors.insert("year".into(), "年度应为 4 位数字，如 2026".into());
                None
            }
        },
    };
    let contact_id = match optional(&input.contact_id) {
        None => None,
        Some(text) => match Uuid::parse_str(&text) {
            Ok(id) => match platform::contacts::store::get(db, &actor.scope(), id).await {
                Ok(_) => Some(id),
                Err(AppError::NotFound) => {
                    errors.insert("contact_id".into(), "通讯录中没有这位联系人".into());
                    None
                }
                Err(other) => return Err(other),
            },
            Err(_) => {
                errors.insert("contact_id".into(), "通讯录联系人编号格式不正确".into());
                None
            }
        },
    };
    match (kind, role, year) {
        (Some(kind), Some(role), Some(year)) if errors.is_empty() => Ok(Checked {
            region_code,
            year,
            kind,
            object_name: object_name.filter(|_| kind.is_named()),
            role,
            name,
            post,
            phone,
            contact_id,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

fn summary(p: &Person) -> String {
    format!(
        "{}年{}{}{}：{}",
        p.year,
        p.township_name,
        p.object_name
            .clone()
            .or_else(|| p.village_name.clone())
            .unwrap_or_default(),
        p.role_label(),
        p.name
    )
}

async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &Checked,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Person> {
    if already_listed(db, c, None).await? {
        return Err(AppError::Validation(duplicate(c)));
    }
    let m = person::ActiveModel {
        year: Set(c.year),
        kind: Set(c.kind.code().into()),
        object_name: Set(c.object_name.clone()),
        role: Set(c.role.code().into()),
        name: Set(c.name.clone()),
        post: Set(c.post.clone()),
        phone: Set(c.phone.clone()),
        contact_id: Set(c.contact_id),
        ..platform::db::new_record(
            Uuid::now_v7(),
            c.region_code.clone(),
            Some(actor.user_id),
            now,
        )
    }
    .insert(db)
    .await?;
    Ok(decorate(db, vec![m]).await?.remove(0))
}

/// Whether the same person already holds this responsibility for the object and year (a live
/// row other than `except`).
pub async fn already_listed(
    db: &impl ConnectionTrait,
    c: &Checked,
    except: Option<Uuid>,
) -> AppResult<bool> {
    use person::Column;
    let mut q = person::Entity::find()
        .filter(Column::VoidedAt.is_null())
        .filter(Column::Year.eq(c.year))
        .filter(Column::RegionCode.eq(&c.region_code))
        .filter(Column::Kind.eq(c.kind.code()))
        .filter(Column::Role.eq(c.role.code()))
        .filter(Column::Name.eq(&c.name));
    q = match &c.object_name {
        Some(object) => q.filter(Column::ObjectName.eq(object)),
        None => q.filter(Column::ObjectName.is_null()),
    };
    if let Some(id) = except {
        q = q.filter(Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

/// The refusal of a person listed twice, beside the name.
pub fn duplicate(c: &Checked) -> FieldErrors {
    let message = format!(
        "{} 已登记为本年度该对象的{}，无需重复登记",
        c.name,
        c.role.label()
    );
    FieldErrors::from([("name".to_string(), message)])
}

/// 新增责任人.
pub async fn create(state: &AppState, actor: &Actor, input: &PersonInput) -> AppResult<Person> {
    let c = checked(&state.db, actor, input).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let created = insert(&txn, actor, &c, now).await?;
    let entry = Entry::new("create", KIND_PERSON, created.id, &created.region_code)
        .summary(format!("新增责任人 {}", summary(&created)))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// 导入: all the checked rows in one transaction, each audited.
pub async fn create_all(state: &AppState, actor: &Actor, rows: &[Checked]) -> AppResult<usize> {
    let now = state.now();
    let txn = state.db.begin().await?;
    for c in rows {
        let created = insert(&txn, actor, c, now).await?;
        let entry = Entry::new(
            "duty.responsible.import",
            KIND_PERSON,
            created.id,
            &created.region_code,
        )
        .summary(format!("导入责任人 {}", summary(&created)))
        .after(&created);
        audit::record(&txn, actor, now, entry).await?;
    }
    txn.commit().await?;
    Ok(rows.len())
}

/// 修改, against the version read.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &PersonInput,
) -> AppResult<Person> {
    let before = get(&state.db, actor, id).await?;
    let c = checked(&state.db, actor, input).await?;
    if already_listed(&state.db, &c, Some(id)).await? {
        return Err(AppError::Validation(duplicate(&c)));
    }
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    use person::Column;
    platform::db::versioned_update(
        &txn,
        person::Entity::update_many()
            .col_expr(Column::RegionCode, Expr::value(c.region_code.clone()))
            .col_expr(Column::Year, Expr::value(c.year))
            .col_expr(Column::Kind, Expr::value(c.kind.code()))
            .col_expr(Column::ObjectName, Expr::value(c.object_name.clone()))
            .col_expr(Column::Role, Expr::value(c.role.code()))
            .col_expr(Column::Name, Expr::value(c.name.clone()))
            .col_expr(Column::Post, Expr::value(c.post.clone()))
            .col_expr(Column::Phone, Expr::value(c.phone.clone()))
            .col_expr(Column::ContactId, Expr::value(c.contact_id))
            .filter(Column::VoidedAt.is_null()),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get(&txn, actor, id).await?;
    let entry = Entry::new("update", KIND_PERSON, id, &after.region_code)
        .summary(format!("修改责任人 {}", summary(&after)))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct VoidInput {
    #[serde(default)]
    pub reason: String,
}

/// 作废 with a reason (e.g. 人员调整).
pub async fn void(state: &AppState, actor: &Actor, id: Uuid, input: &VoidInput) -> AppResult<()> {
    actor.require(perm::DUTY_EDIT)?;
    let before = get(&state.db, actor, id).await?;
    let reason = platform::db::void_reason(&input.reason)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<person::Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let entry = Entry::new("void", KIND_PERSON, id, &before.region_code)
        .summary(format!("作废责任人 {}：{reason}", summary(&before)))
        .before(&before);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(())
}

/// How a county's public pages show phone numbers; masked until its editors choose.
pub async fn phone_display(
    db: &impl ConnectionTrait,
    county: &str,
) -> AppResult<(PhoneDisplay, i32)> {
    Ok(setting::Entity::find()
        .filter(setting::Column::RegionCode.eq(county_of(county)))
        .filter(setting::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .map(|s| {
            (
                PhoneDisplay::parse(&s.phone_display).unwrap_or(PhoneDisplay::Masked),
                s.version,
            )
        })
        .unwrap_or((PhoneDisplay::Masked, 0)))
}

/// The publication setting as sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DisplayInput {
    /// full | masked
    #[serde(default)]
    pub phone_display: String,
    /// The version read (0 while the county has none).
    #[serde(default)]
    pub version: i32,
}

/// The county's publication setting, as read and stored.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct DisplaySetting {
    pub county_code: String,
    pub phone_display: PhoneDisplay,
    pub version: i32,
}

pub async fn get_display(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<DisplaySetting> {
    actor.require(perm::DUTY_VIEW)?;
    let county = county_of(&actor.region_code);
    let (phone_display, version) = phone_display(db, &county).await?;
    Ok(DisplaySetting {
        county_code: county,
        phone_display,
        version,
    })
}

/// 设置公示电话显示方式: the county's duty editors only.
pub async fn set_display(
    state: &AppState,
    actor: &Actor,
    input: &DisplayInput,
) -> AppResult<DisplaySetting> {
    actor.require(perm::DUTY_EDIT)?;
    if !is_writer(actor) {
        return Err(AppError::Forbidden);
    }
    let display = PhoneDisplay::parse(input.phone_display.trim())
        .ok_or_else(|| AppError::field("phone_display", "请选择完整显示或隐藏中间四位"))?;
    let county = county_of(&actor.region_code);
    let before = get_display(&state.db, actor).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let existing = setting::Entity::find()
        .filter(setting::Column::RegionCode.eq(county.clone()))
        .one(&txn)
        .await?;
    let id = match existing {
        Some(s) => {
            platform::db::versioned_update(
                &txn,
                setting::Entity::update_many()
                    .col_expr(setting::Column::PhoneDisplay, Expr::value(display.code())),
                s.id,
                input.version,
                actor.user_id,
                now,
            )
            .await?;
            s.id
        }
        None => {
            if input.version != 0 {
                return Err(AppError::conflict(
                    "stale",
                    "设置已被他人修改，请刷新页面后重试",
                ));
            }
            let id = Uuid::now_v7();
            setting::ActiveModel {
                phone_display: Set(display.code().into()),
                ..platform::db::new_record(id, county.clone(), Some(actor.user_id), now)
            }
            .insert(&txn)
            .await?;
            id
        }
    };
    let after = get_display(&txn, actor).await?;
    let entry = Entry::new("duty.responsible.display", KIND_SETTING, id, &county)
        .summary(format!("公示电话显示方式：{}", display.label()))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// One township's published list: its persons of the year asked, or of its latest year.
pub struct Publication {
    pub township_code: String,
    pub township_name: String,
    pub county_name: String,
    pub year: Option<i32>,
    pub years: Vec<i32>,
    pub display: PhoneDisplay,
    pub persons: Vec<Person>,
}

/// For the public page: no login, only published (not voided) persons of one township.
pub async fn publication(
    db: &impl ConnectionTrait,
    township: &str,
    year: Option<i32>,
) -> AppResult<Publication> {
    if model::place_of(township) != Some(model::Place::Township) {
        return Err(AppError::NotFound);
    }
    let region = platform::regions::store::find(db, township)
        .await?
        .ok_or(AppError::NotFound)?;
    let prefix: String = township.chars().take(9).collect();
    let in_township = || {
        person::Entity::find()
            .filter(person::Column::RegionCode.starts_with(prefix.as_str()))
            .filter(person::Column::VoidedAt.is_null())
    };
    let mut years: Vec<i32> = in_township()
        .select_only()
        .column(person::Column::Year)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    years.sort_unstable_by(|a, b| b.cmp(a));
    let year = year
        .filter(|y| years.contains(y))
        .or(years.first().copied());
    let persons = match year {
        None => Vec::new(),
        Some(y) => {
            let models = in_township()
                .filter(person::Column::Year.eq(y))
                .order_by_asc(person::Column::Kind)
                .order_by_asc(person::Column::RegionCode)
                .order_by_asc(person::Column::ObjectName)
                .order_by_asc(person::Column::Role)
                .order_by_asc(person::Column::Id)
                .all(db)
                .await?;
            decorate(db, models).await?
        }
    };
    let (display, _) = phone_display(db, &county_of(township)).await?;
    let (county_name, _) = platform::regions::store::county_names(db, &county_of(township)).await?;
    Ok(Publication {
        township_code: township.to_string(),
        township_name: region.name,
        county_name,
        year,
        years,
        display,
        persons,
    })
}

/// Persons grouped by kind, in the order of [`ObjectKind::ALL`], for the public page.
pub fn by_kind(persons: &[Person]) -> Vec<(ObjectKind, Vec<Person>)> {
    let mut groups: HashMap<ObjectKind, Vec<Person>> = HashMap::new();
    for p in persons {
        groups.entry(p.kind).or_default().push(p.clone());
    }
    ObjectKind::ALL
        .iter()
        .filter_map(|k| groups.remove(k).map(|ps| (*k, ps)))
        .collect()
}
