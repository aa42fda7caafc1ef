//! Headquarters' queries and changes, scoped and audited.
//! - Readers: county-level DUTY_VIEW holders read their county's headquarters.
//! - Writers: the county's duty editors (`is_writer`); townships neither read nor write them.
//! - Copying a year creates the next year's headquarters with the same people, in one
//!   transaction.

use platform::access::{Actor, perm};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::county_of;
use platform::web::AppState;
use platform::web::form::{optional, text_field};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{headquarters, member};
use super::model::{self, HqError, HqKind, Position};
use crate::responsible::model::{PHONE_HINT, valid_phone};
use crate::rosters::store::{is_writer, reads_all};

pub const KIND_HQ: &str = "duty_headquarters";
pub const KIND_MEMBER: &str = "duty_hq_member";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[("duty.hq.copy", "从上一年复制指挥部")];

/// 指挥部.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Headquarters {
    pub id: Uuid,
    pub region_code: String,
    pub kind: HqKind,
    pub year: i32,
    pub name: String,
    pub member_count: u64,
    pub version: i32,
}

impl Headquarters {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

/// A commander, deputy or member unit.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub id: Uuid,
    pub headquarters_id: Uuid,
    pub position: Position,
    pub department_id: Option<Uuid>,
    pub unit_name: Option<String>,
    pub person_name: String,
    pub person_post: Option<String>,
    pub phone: String,
    pub duties: Option<String>,
    pub sort: i32,
    pub version: i32,
}

impl Member {
    pub fn position_label(&self) -> &'static str {
        self.position.label()
    }

    pub fn unit(&self) -> &str {
        self.unit_name.as_deref().unwrap_or("")
    }

    pub fn post(&self) -> &str {
        self.person_post.as_deref().unwrap_or("")
    }

    pub fn duties_text(&self) -> &str {
        self.duties.as_deref().unwrap_or("")
    }
}

impl From<member::Model> for Member {
    fn from(m: member::Model) -> Self {
        Self {
            id: m.id,
            headquarters_id: m.headquarters_id,
            position: Position::parse(&m.position).unwrap_or(Position::Member),
            department_id: m.department_id,
            unit_name: m.unit_name,
            person_name: m.person_name,
            person_post: m.person_post,
            phone: m.phone,
            duties: m.duties,
            sort: m.sort,
            version: m.version,
        }
    }
}

/// A headquarters with its people: leaders first, then member units, each in order.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Detail {
    pub headquarters: Headquarters,
    pub leaders: Vec<Member>,
    pub members: Vec<Member>,
}

fn require_reader(actor: &Actor) -> AppResult<()> {
    actor.require(perm::DUTY_VIEW)?;
    if !reads_all(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

fn require_writer(actor: &Actor) -> AppResult<()> {
    actor.require(perm::DUTY_EDIT)?;
    if !is_writer(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

async fn count_members(db: &impl ConnectionTrait, id: Uuid) -> AppResult<u64> {
    Ok(member::Entity::find()
        .filter(member::Column::HeadquartersId.eq(id))
        .filter(member::Column::VoidedAt.is_null())
        .filter(member::Column::Position.eq(Position::Member.code()))
        .count(db)
        .await?)
}

async fn decorate(db: &impl ConnectionTrait, m: headquarters::Model) -> AppResult<Headquarters> {
    Ok(Headquarters {
        member_count: count_members(db, m.id).await?,
        id: m.id,
        region_code: m.region_code,
        kind: HqKind::parse(&m.kind).unwrap_or(HqKind::Flood),
        year: m.year,
        name: m.name,
        version: m.version,
    })
}

/// The county's headquarters, latest year first.
/// A township's staff see none: headquarters are the county's.
pub async fn list(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<Headquarters>> {
    actor.require(perm::DUTY_VIEW)?;
    if !reads_all(actor) {
        return Ok(Vec::new());
    }
    let models = headquarters::Entity::find()
        .filter(actor.scope().condition(headquarters::Column::RegionCode))
        .filter(headquarters::Column::VoidedAt.is_null())
        .order_by_desc(headquarters::Column::Year)
        .order_by_asc(headquarters::Column::Kind)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        out.push(decorate(db, m).await?);
    }
    Ok(out)
}

async fn find_hq(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<headquarters::Model> {
    require_reader(actor)?;
    headquarters::Entity::find_by_id(id)
        .filter(actor.scope().condition(headquarters::Column::RegionCode))
        .filter(headquarters::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

async fn members_of(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Vec<member::Model>> {
    Ok(member::Entity::find()
        .filter(member::Column::HeadquartersId.eq(id))
        .filter(member::Column::VoidedAt.is_null())
        .order_by_asc(member::Column::Sort)
        .order_by_asc(member::Column::Id)
        .all(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Detail> {
    let hq = find_hq(db, actor, id).await?;
    let people: Vec<Member> = members_of(db, id)
        .await?
        .into_iter()
        .map(Member::from)
        .collect();
    let (mut leaders, members): (Vec<Member>, Vec<Member>) =
        people.into_iter().partition(|m| m.position.is_leader());
    leaders.sort_by_key(|m| (m.position != Position::Commander, m.sort));
    Ok(Detail {
        headquarters: decorate(db, hq).await?,
        leaders,
        members,
    })
}

/// A new headquarters as sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct HqInput {
    /// flood | forest_fire | safety | disaster
    #[serde(default)]
    pub kind: String,
    /// e.g. 2026
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub year: Option<String>,
}

async fn existing(
    db: &impl ConnectionTrait,
    county: &str,
    kind: HqKind,
    year: i32,
) -> AppResult<bool> {
    Ok(headquarters::Entity::find()
        .filter(headquarters::Column::RegionCode.eq(county))
        .filter(headquarters::Column::Kind.eq(kind.code()))
        .filter(headquarters::Column::Year.eq(year))
        .filter(headquarters::Column::VoidedAt.is_null())
        .count(db)
        .await?
        > 0)
}

async fn insert_hq(
    db: &impl ConnectionTrait,
    actor: &Actor,
    county: &str,
    kind: HqKind,
    year: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<headquarters::Model> {
    let (county_name, _) = platform::regions::store::county_names(db, county).await?;
    Ok(headquarters::ActiveModel {
        kind: Set(kind.code().into()),
        year: Set(year),
        name: Set(model::name(&county_name, kind)),
        ..platform::db::new_record(Uuid::now_v7(), county.to_string(), Some(actor.user_id), now)
    }
    .insert(db)
    .await?)
}

/// 建立 a headquarters for a year.
pub async fn create(state: &AppState, actor: &Actor, input: &HqInput) -> AppResult<Headquarters> {
    require_writer(actor)?;
    let mut errors = FieldErrors::new();
    let kind = HqKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.insert("kind".into(), "请选择指挥部类别".into());
    }
    let year = optional(&input.year)
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.insert("year".into(), "年度应为 4 位数字，如 2026".into());
    }
    let (Some(kind), Some(year)) = (kind, year) else {
        return Err(AppError::Validation(errors));
    };
    let county = county_of(&actor.region_code);
    if existing(&state.db, &county, kind, year).await? {
        let e = HqError::Exists {
            year,
            kind: kind.label(),
        };
        return Err(AppError::field("year", e.to_string()));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let m = insert_hq(&txn, actor, &county, kind, year, now).await?;
    let created = decorate(&txn, m).await?;
    let entry = Entry::new("create", KIND_HQ, created.id, &county)
        .summary(format!("建立{}年{}", year, created.name))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// 从上一年复制: the next year's headquarters with this one's people, in one transaction.
pub async fn copy_to_next_year(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
) -> AppResult<Headquarters> {
    require_writer(actor)?;
    let from = find_hq(&state.db, actor, id).await?;
    let kind = HqKind::parse(&from.kind).unwrap_or(HqKind::Flood);
    let year = model::next_year(from.year);
    let now = state.now();
    let txn = state.db.begin().await?;
    if existing(&txn, &from.region_code, kind, year).await? {
        let e = HqError::NextExists {
            year,
            kind: kind.label(),
        };
        return Err(AppError::conflict("headquarters_exists", e.to_string()));
    }
    let to = insert_hq(&txn, actor, &from.region_code, kind, year, now).await?;
    let people = members_of(&txn, from.id).await?;
    let copied = people.len();
    for p in people {
        member::ActiveModel {
            headquarters_id: Set(to.id),
            position: Set(p.position),
            department_id: Set(p.department_id),
            unit_name: Set(p.unit_name),
            person_name: Set(p.person_name),
            person_post: Set(p.person_post),
            phone: Set(p.phone),
            duties: Set(p.duties),
            sort: Set(p.sort),
            ..platform::db::new_record(Uuid::now_v7(), p.region_code, Some(actor.user_id), now)
        }
        .insert(&txn)
        .await?;
    }
    let created = decorate(&txn, to).await?;
    let entry = Entry::new("duty.hq.copy", KIND_HQ, created.id, &created.region_code)
        .summary(format!(
            "从{}年复制{}年{}（{copied} 人/单位）",
            from.year, year, created.name
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// A leader or member unit as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MemberInput {
    /// commander | deputy | member
    #[serde(default)]
    pub position: String,
    /// A member unit in 组织机构 (its name is taken from there).
    pub department_id: Option<String>,
    /// A member unit's name, when it is not in 组织机构.
    pub unit_name: Option<String>,
    /// The leader's, or the liaison's, name.
    #[serde(default)]
    pub person_name: String,
    pub person_post: Option<String>,
    #[serde(default)]
    pub phone: String,
    /// The unit's duties.
    pub duties: Option<String>,
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub sort: Option<String>,
    /// The version read, when editing.
    pub version: Option<i32>,
}

struct CheckedMember {
    position: Position,
    department_id: Option<Uuid>,
    unit_name: Option<String>,
    person_name: String,
    person_post: Option<String>,
    phone: String,
    duties: Option<String>,
    sort: i32,
}

async fn check_member(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &MemberInput,
) -> AppResult<CheckedMember> {
    let mut errors = FieldErrors::new();
    let position = Position::parse(input.position.trim());
    if position.is_none() {
        errors.insert("position".into(), "请选择指挥长、副指挥长或成员单位".into());
    }
    let mut unit_name = text_field(&mut errors, "unit_name", &input.unit_name, 100, "成员单位");
    let mut department_id = None;
    if position == Some(Position::Member) {
        match optional(&input.department_id) {
            Some(text) => match Uuid::parse_str(&text) {
                Ok(id) => match platform::org::store::get(db, &actor.scope(), id).await {
                    Ok(d) if !d.voided => {
                        department_id = Some(id);
                        unit_name = Some(d.name);
                    }
                    Ok(_) | Err(AppError::NotFound) => {
                        errors.insert("department_id".into(), "组织机构中没有这个单位".into());
                    }
                    Err(other) => return Err(other),
                },
                Err(_) => {
                    errors.insert("department_id".into(), "单位编号格式不正确".into());
                }
            },
            None if unit_name.is_none() => {
                errors.insert("unit_name".into(), "请选择或填写成员单位".into());
            }
            None => {}
        }
    } else {
        unit_name = None;
    }
    let person_name = input.person_name.trim().to_string();
    if person_name.is_empty() {
        let what = match position {
            Some(Position::Member) => "请填写联络员姓名",
            _ => "请填写姓名",
        };
        errors.insert("person_name".into(), what.into());
    } else if person_name.chars().count() > 50 {
        errors.insert("person_name".into(), "姓名不超过 50 个字".into());
    }
    let person_post = text_field(&mut errors, "person_post", &input.person_post, 100, "职务");
    let phone = input.phone.trim().to_string();
    if phone.is_empty() {
        errors.insert("phone".into(), "请填写联系电话".into());
    } else if !valid_phone(&phone) {
        errors.insert("phone".into(), PHONE_HINT.into());
    }
    let duties = optional(&input.duties);
    if duties.as_ref().is_some_and(|d| d.chars().count() > 2000) {
        errors.insert("duties".into(), "职责不超过 2000 个字".into());
    }
    let sort = match optional(&input.sort) {
        None => 0,
        Some(s) => s.parse::<i32>().unwrap_or_else(|_| {
            errors.insert("sort".into(), "排序应为整数".into());
            0
        }),
    };
    match position {
        Some(position) if errors.is_empty() => Ok(CheckedMember {
            duties: duties.filter(|_| position == Position::Member),
            position,
            department_id,
            unit_name,
            person_name,
            person_post,
            phone,
            sort,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

fn member_summary(m: &Member) -> String {
    match m.position {
        Position::Member => format!("成员单位 {}（联络员 {}）", m.unit(), m.person_name),
        p => format!("{} {}", p.label(), m.person_name),
    }
}

async fn find_member(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<(member::Model, headquarters::Model)> {
    let m = member::Entity::find_by_id(id)
        .filter(member::Column::VoidedAt.is_null())
        .filter(actor.scope().condition(member::Column::RegionCode))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let hq = find_hq(db, actor, m.headquarters_id).await?;
    Ok((m, hq))
}

pub async fn get_member(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Member> {
    Ok(find_member(db, actor, id).await?.0.into())
}

/// 添加 a leader or a member unit.
pub async fn add_member(
    state: &AppState,
    actor: &Actor,
    hq_id: Uuid,
    input: &MemberInput,
) -> AppResult<Member> {
    require_writer(actor)?;
    let hq = find_hq(&state.db, actor, hq_id).await?;
    let c = check_member(&state.db, actor, input).await?;
    let now = state.now();
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    member::ActiveModel {
        headquarters_id: Set(hq.id),
        position: Set(c.position.code().into()),
        department_id: Set(c.department_id),
        unit_name: Set(c.unit_name),
        person_name: Set(c.person_name),
        person_post: Set(c.person_post),
        phone: Set(c.phone),
        duties: Set(c.duties),
        sort: Set(c.sort),
        ..platform::db::new_record(id, hq.region_code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let created: Member = member::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?
        .into();
    let entry = Entry::new("create", KIND_MEMBER, id, &hq.region_code)
        .summary(format!(
            "{}年{}：添加{}",
            hq.year,
            hq.name,
            member_summary(&created)
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// 修改 a leader or member unit, against the version read.
pub async fn update_member(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &MemberInput,
) -> AppResult<Member> {
    require_writer(actor)?;
    let (before, hq) = find_member(&state.db, actor, id).await?;
    let before = Member::from(before);
    let c = check_member(&state.db, actor, input).await?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    use member::Column;
    platform::db::versioned_update(
        &txn,
        member::Entity::update_many()
            .col_expr(Column::Position, Expr::value(c.position.code()))
            .col_expr(Column::DepartmentId, Expr::value(c.department_id))
            .col_expr(Column::UnitName, Expr::value(c.unit_name))
            .col_expr(Column::PersonName, Expr::value(c.person_name))
            .col_expr(Column::PersonPost, Expr::value(c.person_post))
            .col_expr(Column::Phone, Expr::value(c.phone))
            .col_expr(Column::Duties, Expr::value(c.duties))
            .col_expr(Column::Sort, Expr::value(c.sort))
            .filter(Column::VoidedAt.is_null()),
        id,
        version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get_member(&txn, actor, id).await?;
    let entry = Entry::new("update", KIND_MEMBER, id, &hq.region_code)
        .summary(format!(
            "{}年{}：修改{}",
            hq.year,
            hq.name,
            member_summary(&after)
        ))
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

/// 移除 (作废) a leader or member unit with a reason.
pub async fn void_member(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &VoidInput,
) -> AppResult<Member> {
    require_writer(actor)?;
    let (before, hq) = find_member(&state.db, actor, id).await?;
    let before = Member::from(before);
    let reason = platform::db::void_reason(&input.reason)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<member::Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let entry = Entry::new("void", KIND_MEMBER, id, &hq.region_code)
        .summary(format!(
            "{}年{}：移除{}：{reason}",
            hq.year,
            hq.name,
            member_summary(&before)
        ))
        .before(&before);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(before)
}
