//! Rosters' queries and changes, scoped and audited.
//! - Writers: DUTY_EDIT at county level (or wider) create periods and fill rosters.
//! - Readers: DUTY_VIEW at county level see every period of their county; below the county
//!   (a township's staff) one sees the periods and shifts one is rostered on, nothing else.
//! - Swaps: anyone rostered asks for their own shift; the period's creator or a county writer
//!   decides, and an approval moves the assignments in one transaction, re-checking overlaps.
//!
//! Anything else answers 404 (or 403 for a missing permission). The rules live in
//! [`super::model`].

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use platform::access::{Actor, Role, Scope, perm};
use platform::audit::{self, Entry};
use platform::auth::entity::{user, user_role};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::home::WorkItem;
use platform::web::AppState;
use platform::web::form::{date_field, optional, text_field};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{assignment, period, shift, swap};
use super::model::{
    self, Busy, Candidate, PeriodKind, Post, RosterError, ShiftPattern, Slot, Staffing, SwapState,
};

/// Audit kinds.
pub const KIND_PERIOD: &str = "duty_period";
pub const KIND_SHIFT: &str = "duty_shift";
pub const KIND_SWAP: &str = "duty_swap";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("duty.roster", "排班"),
    ("duty.assign", "调整班次"),
    ("duty.swap.request", "申请换班"),
    ("duty.swap.approve", "同意换班"),
    ("duty.swap.reject", "驳回换班"),
    ("duty.remind", "值班提醒"),
];

pub use platform::regions::model::county_of;

/// Writers work for a county: a township's staff are rostered but do not roster.
pub fn is_writer(actor: &Actor) -> bool {
    actor.can(perm::DUTY_EDIT) && actor.scope().prefix().len() <= 6
}

/// County-level readers see every period and shift of their scope.
pub fn reads_all(actor: &Actor) -> bool {
    actor.can(perm::DUTY_VIEW) && actor.scope().prefix().len() <= 6
}

fn require_writer(actor: &Actor) -> AppResult<Scope> {
    actor.require(perm::DUTY_EDIT)?;
    if !is_writer(actor) {
        return Err(AppError::Forbidden);
    }
    Ok(actor.scope())
}

/// What a reader sees: the whole scope, or only their own shifts.
#[derive(Clone, Debug)]
pub enum Sight {
    Scope(Scope),
    Own(Uuid),
}

pub fn sight(actor: &Actor) -> AppResult<Sight> {
    actor.require(perm::DUTY_VIEW)?;
    Ok(if reads_all(actor) {
        Sight::Scope(actor.scope())
    } else {
        Sight::Own(actor.user_id)
    })
}

impl Sight {
    /// Shifts this reader may see.
    pub fn shifts(&self) -> Condition {
        match self {
            Sight::Scope(scope) => scope.condition(shift::Column::RegionCode),
            Sight::Own(user_id) => {
                let mine = assignment::Entity::find()
                    .select_only()
                    .column(assignment::Column::ShiftId)
                    .filter(assignment::Column::UserId.eq(*user_id))
                    .into_query();
                Condition::all().add(shift::Column::Id.in_subquery(mine))
            }
        }
    }

    /// Periods this reader may see.
    pub fn periods(&self) -> Condition {
        match self {
            Sight::Scope(scope) => scope.condition(period::Column::RegionCode),
            Sight::Own(user_id) => {
                let mine = assignment::Entity::find()
                    .select_only()
                    .column(assignment::Column::PeriodId)
                    .filter(assignment::Column::UserId.eq(*user_id))
                    .into_query();
                Condition::all().add(period::Column::Id.in_subquery(mine))
            }
        }
    }
}

/// 值班期.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub id: Uuid,
    pub region_code: String,
    pub kind: PeriodKind,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub pattern: ShiftPattern,
    /// Handover time, `08:30` (UTC+8).
    pub shift_start: String,
    pub min_officers: i32,
    pub created_by: Option<Uuid>,
    pub voided_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl Period {
    fn from_model(m: period::Model) -> Self {
        Self {
            id: m.id,
            region_code: m.region_code,
            kind: PeriodKind::parse(&m.kind).unwrap_or(PeriodKind::Flood),
            name: m.name,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            pattern: ShiftPattern::parse(&m.pattern).unwrap_or(ShiftPattern::FullDay),
            shift_start: m.shift_start,
            min_officers: m.min_officers,
            created_by: m.created_by,
            voided_at: m.voided_at,
            version: m.version,
        }
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    pub fn pattern_label(&self) -> &'static str {
        self.pattern.label()
    }

    pub fn dates(&self) -> String {
        format!("{} 至 {}", self.starts_on, self.ends_on)
    }
}

/// Someone on a shift.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub user_id: Uuid,
    pub name: String,
    pub post: Post,
}

/// 班次 with who stands it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Shift {
    pub id: Uuid,
    pub period_id: Uuid,
    pub region_code: String,
    pub day: NaiveDate,
    pub slot: Slot,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `2026-06-07 全天班（06-07 08:30 至 06-08 08:30）`.
    pub label: String,
    pub leader: Option<Person>,
    pub officers: Vec<Person>,
    /// 缺岗: what is missing, if anything.
    pub gap: Option<String>,
    pub version: i32,
}

impl Shift {
    pub fn slot_label(&self) -> &'static str {
        self.slot.label()
    }

    pub fn leader_name(&self) -> &str {
        self.leader.as_ref().map(|p| p.name.as_str()).unwrap_or("")
    }

    pub fn officer_names(&self) -> String {
        self.officers
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn has(&self, user_id: Uuid) -> bool {
        self.leader.as_ref().is_some_and(|p| p.user_id == user_id)
            || self.officers.iter().any(|p| p.user_id == user_id)
    }

    pub fn people(&self) -> Vec<Uuid> {
        self.leader
            .iter()
            .chain(&self.officers)
            .map(|p| p.user_id)
            .collect()
    }
}

/// A shift missing a leader or short of officers.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Gap {
    pub shift_id: Uuid,
    pub day: NaiveDate,
    pub slot: Slot,
    pub label: String,
    pub reason: String,
}

/// A period with its shifts (those the reader may see, in the range asked) and its gaps.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Roster {
    pub period: Period,
    pub shifts: Vec<Shift>,
    pub gaps: Vec<Gap>,
}

/// Shifts with their people and gaps.
pub async fn decorate(
    db: &impl ConnectionTrait,
    min_officers: i32,
    models: Vec<shift::Model>,
) -> AppResult<Vec<Shift>> {
    let ids: Vec<Uuid> = models.iter().map(|s| s.id).collect();
    let mut rows: Vec<assignment::Model> = Vec::new();
    for chunk in ids.chunks(500) {
        rows.extend(
            assignment::Entity::find()
                .filter(assignment::Column::ShiftId.is_in(chunk.to_vec()))
                .order_by_asc(assignment::Column::Sort)
                .all(db)
                .await?,
        );
    }
    let names =
        platform::users::store::display_names(db, rows.iter().map(|a| a.user_id).collect()).await?;
    let mut by_shift: HashMap<Uuid, Vec<assignment::Model>> = HashMap::new();
    for a in rows {
        by_shift.entry(a.shift_id).or_default().push(a);
    }
    Ok(models
        .into_iter()
        .map(|s| {
            let slot = Slot::parse(&s.slot).unwrap_or(Slot::Full);
            let mut leader = None;
            let mut officers = Vec::new();
            for a in by_shift.remove(&s.id).unwrap_or_default() {
                let post = Post::parse(&a.post).unwrap_or(Post::Officer);
                let person = Person {
                    name: names.get(&a.user_id).cloned().unwrap_or_default(),
                    user_id: a.user_id,
                    post,
                };
                match post {
                    Post::Leader => leader = Some(person),
                    Post::Officer => officers.push(person),
                }
            }
            let staffing = Staffing {
                has_leader: leader.is_some(),
                officers: officers.len(),
            };
            Shift {
                label: model::shift_label(s.day, slot, s.starts_at, s.ends_at),
                gap: model::gap_reason(&staffing, min_officers),
                id: s.id,
                period_id: s.period_id,
                region_code: s.region_code,
                day: s.day,
                slot,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                leader,
                officers,
                version: s.version,
            }
        })
        .collect())
}

pub fn gaps_of(shifts: &[Shift]) -> Vec<Gap> {
    shifts
        .iter()
        .filter_map(|s| {
            s.gap.as_ref().map(|reason| Gap {
                shift_id: s.id,
                day: s.day,
                slot: s.slot,
                label: s.label.clone(),
                reason: reason.clone(),
            })
        })
        .collect()
}

/// The list's filter.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct PeriodFilter {
    /// flood | forest_fire | major_event | holiday
    pub kind: Option<String>,
    /// Periods running in this year.
    pub year: Option<String>,
}

/// Periods the reader may see, latest first (voided ones left out).
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &PeriodFilter,
) -> AppResult<Vec<Period>> {
    let sight = sight(actor)?;
    let mut q = period::Entity::find()
        .filter(sight.periods())
        .filter(period::Column::VoidedAt.is_null());
    if let Some(kind) = optional(&filter.kind) {
        q = q.filter(period::Column::Kind.eq(kind));
    }
    let year = optional(&filter.year).and_then(|y| y.parse::<i32>().ok());
    if let Some(year) = year
        && let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        )
    {
        q = q
            .filter(period::Column::EndsOn.gte(first))
            .filter(period::Column::StartsOn.lte(last));
    }
    Ok(q.order_by_desc(period::Column::StartsOn)
        .order_by_desc(period::Column::CreatedAt)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .map(Period::from_model)
        .collect())
}

async fn load_period(db: &impl ConnectionTrait, sight: &Sight, id: Uuid) -> AppResult<Period> {
    period::Entity::find_by_id(id)
        .filter(sight.periods())
        .filter(period::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .map(Period::from_model)
        .ok_or(AppError::NotFound)
}

pub async fn get_period(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Period> {
    load_period(db, &sight(actor)?, id).await
}

/// The roster of a period between two days (inclusive; the whole period without them).
pub async fn roster(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> AppResult<Roster> {
    let sight = sight(actor)?;
    let period = load_period(db, &sight, id).await?;
    let mut q = shift::Entity::find()
        .filter(shift::Column::PeriodId.eq(id))
        .filter(sight.shifts());
    if let Some(d) = from {
        q = q.filter(shift::Column::Day.gte(d));
    }
    if let Some(d) = to {
        q = q.filter(shift::Column::Day.lte(d));
    }
    let models = q.order_by_asc(shift::Column::StartsAt).all(db).await?;
    let shifts = decorate(db, period.min_officers, models).await?;
    Ok(Roster {
        gaps: gaps_of(&shifts),
        period,
        shifts,
    })
}

/// One shift, if the reader may see it.
pub async fn get_shift(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Shift> {
    let sight = sight(actor)?;
    let m = shift::Entity::find_by_id(id)
        .filter(sight.shifts())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let period = load_period(db, &sight, m.period_id).await?;
    Ok(decorate(db, period.min_officers, vec![m]).await?.remove(0))
}

/// A period as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PeriodInput {
    /// flood | forest_fire | major_event | holiday
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    /// First day, YYYY-MM-DD.
    pub starts_on: Option<String>,
    /// Last day, YYYY-MM-DD, not before `starts_on`.
    pub ends_on: Option<String>,
    /// full_day (default) | day_night
    pub pattern: Option<String>,
    /// Handover time, HH:MM (UTC+8); default 08:30.
    pub shift_start: Option<String>,
    /// Officers per shift, 1–10; default 2.
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<i32>)]
    pub min_officers: Option<String>,
    /// The county, for writers above county level.
    pub region_code: Option<String>,
}

struct ValidPeriod {
    kind: PeriodKind,
    name: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    pattern: ShiftPattern,
    shift_start: chrono::NaiveTime,
    min_officers: i32,
}

fn put(errors: &mut FieldErrors, e: RosterError) {
    if let Some(f) = e.field() {
        errors.entry(f.into()).or_insert_with(|| e.to_string());
    }
}

fn validate_period(input: &PeriodInput) -> AppResult<ValidPeriod> {
    let mut errors = FieldErrors::new();
    let kind = PeriodKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.insert("kind".into(), "请选择值班类型".into());
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.insert("name".into(), "请填写值班期名称".into());
    } else if name.chars().count() > 100 {
        errors.insert("name".into(), "值班期名称不超过 100 个字".into());
    }
    let mut required = |field: &str, value: &Option<String>, label: &str| {
        let d = date_field(&mut errors, field, value);
        if d.is_none() && !errors.contains_key(field) {
            errors.insert(field.into(), format!("请填写{label}"));
        }
        d
    };
    let starts_on = required("starts_on", &input.starts_on, "开始日期");
    let ends_on = required("ends_on", &input.ends_on, "结束日期");
    if let (Some(f), Some(t)) = (starts_on, ends_on)
        && let Err(e) = model::check_period(f, t)
    {
        put(&mut errors, e);
    }
    let pattern = match optional(&input.pattern) {
        None => Some(ShiftPattern::FullDay),
        Some(code) => ShiftPattern::parse(&code),
    };
    if pattern.is_none() {
        errors.insert("pattern".into(), "请选择班次安排".into());
    }
    let start_text = optional(&input.shift_start).unwrap_or_else(|| model::DEFAULT_START.into());
    let shift_start = model::parse_start(&start_text)
        .map_err(|e| put(&mut errors, e))
        .ok();
    let min_officers = match optional(&input.min_officers) {
        None => Some(model::DEFAULT_MIN_OFFICERS),
        Some(text) => text.parse::<i32>().ok(),
    };
    match min_officers.map(model::check_min_officers) {
        Some(Ok(())) => {}
        _ => put(&mut errors, RosterError::MinOfficers),
    }
    match (kind, starts_on, ends_on, pattern, shift_start, min_officers) {
        (Some(kind), Some(starts_on), Some(ends_on), Some(pattern), Some(shift_start), Some(n))
            if errors.is_empty() =>
        {
            Ok(ValidPeriod {
                kind,
                name,
                starts_on,
                ends_on,
                pattern,
                shift_start,
                min_officers: n,
            })
        }
        _ => Err(AppError::Validation(errors)),
    }
}

/// The county a new period belongs to: the one asked for, or the writer's own.
async fn county_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    requested: &Option<String>,
) -> AppResult<String> {
    use platform::regions::{Level, store as regions};
    let code = match optional(requested) {
        Some(code) => code,
        None if actor.scope().prefix().len() == 6 => county_of(&actor.region_code),
        None => {
            return Err(AppError::field(
                "region_code",
                "请选择值班期所属的县（市、区）",
            ));
        }
    };
    match regions::get(db, &actor.scope(), &code).await {
        Ok(r) if r.level == Level::County => Ok(r.code),
        _ => Err(AppError::field(
            "region_code",
            "所属县（市、区）不存在或不在管辖范围内",
        )),
    }
}

/// 新建值班期: the period and all its shifts, empty, in one transaction.
pub async fn create_period(
    state: &AppState,
    actor: &Actor,
    input: &PeriodInput,
) -> AppResult<Period> {
    require_writer(actor)?;
    let v = validate_period(input)?;
    let county = county_for(&state.db, actor, &input.region_code).await?;
    let now = state.now();
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    period::ActiveModel {
        kind: Set(v.kind.code().into()),
        name: Set(v.name.clone()),
        starts_on: Set(v.starts_on),
        ends_on: Set(v.ends_on),
        pattern: Set(v.pattern.code().into()),
        shift_start: Set(v.shift_start.format("%H:%M").to_string()),
        min_officers: Set(v.min_officers),
        ..platform::db::new_record(id, county.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let rows: Vec<shift::ActiveModel> =
        model::shifts(v.starts_on, v.ends_on, v.pattern, v.shift_start)
            .into_iter()
            .map(|s| shift::ActiveModel {
                id: Set(Uuid::now_v7()),
                period_id: Set(id),
                region_code: Set(county.clone()),
                day: Set(s.day),
                slot: Set(s.slot.code().into()),
                starts_at: Set(s.starts_at),
                ends_at: Set(s.ends_at),
                version: Set(1),
                updated_at: Set(now),
                updated_by: Set(Some(actor.user_id)),
            })
            .collect();
    for chunk in rows.chunks(200) {
        shift::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    let created = load_period(&txn, &Sight::Scope(actor.scope()), id).await?;
    let entry = Entry::new("create", KIND_PERIOD, id, &county)
        .summary(format!(
            "新建值班期《{}》（{}，{}）",
            created.name,
            created.kind_label(),
            created.dates()
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct VoidInput {
    /// 作废原因.
    #[serde(default)]
    pub reason: String,
    pub version: i32,
}

/// 作废 a period (set up by mistake, or called off): it leaves the lists, its people are free
/// for other shifts, and no reminders go out for it. Its rows stay for the record.
pub async fn void_period(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &VoidInput,
) -> AppResult<Period> {
    let scope = require_writer(actor)?;
    let sight = Sight::Scope(scope);
    let before = load_period(&state.db, &sight, id).await?;
    let reason = input.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field("reason", "作废须说明原因"));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field("reason", "作废原因不超过 500 个字"));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        period::Entity::update_many()
            .col_expr(period::Column::VoidedAt, Expr::value(Some(now)))
            .col_expr(
                period::Column::VoidReason,
                Expr::value(Some(reason.clone())),
            )
            .filter(period::Column::VoidedAt.is_null()),
        id,
        input.version,
        actor.user_id,
        now,
    )
    .await?;
    let after = period::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .map(Period::from_model)
        .ok_or(AppError::NotFound)?;
    let entry = Entry::new("void", KIND_PERIOD, id, &before.region_code)
        .summary(format!("作废值班期《{}》：{reason}", before.name))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Who is proposed for a shift: as ids typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ShiftInput {
    /// The leader on duty (带班领导): a user with the 局领导 role; empty leaves the slot open.
    pub leader_id: Option<String>,
    /// Duty officers' user ids.
    #[serde(default)]
    pub officer_ids: Vec<String>,
    /// The shift's version as read (409 `stale_edit` if someone changed it since).
    pub version: Option<i32>,
}

/// One entry of a whole roster sent at once.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RosterEntry {
    /// The shift's day, YYYY-MM-DD.
    #[serde(default)]
    pub day: String,
    /// full (default for a 24-hour pattern) | day | night
    pub slot: Option<String>,
    pub leader_id: Option<String>,
    #[serde(default)]
    pub officer_ids: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RosterInput {
    #[serde(default)]
    pub entries: Vec<RosterEntry>,
}

/// Accounts that may be rostered in a county, by id: enabled, in the county, holding the duty
/// permission; leaders hold the 局领导 role.
pub async fn candidates(
    db: &impl ConnectionTrait,
    county: &str,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Candidate>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.to_vec()))
        .all(db)
        .await?;
    let mut roles: HashMap<Uuid, Vec<Role>> = HashMap::new();
    for r in user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(ids.to_vec()))
        .all(db)
        .await?
    {
        if let Some(role) = Role::parse(&r.role) {
            roles.entry(r.user_id).or_default().push(role);
        }
    }
    let prefix: String = county.chars().take(6).collect();
    Ok(users
        .into_iter()
        .map(|u| {
            let held = roles.remove(&u.id).unwrap_or_default();
            let c = Candidate {
                user_id: u.id,
                is_leader: held.contains(&Role::Leader),
                rosterable: u.enabled
                    && u.region_code.starts_with(&prefix)
                    && held
                        .iter()
                        .any(|r| r.permissions().contains(&perm::DUTY_VIEW)),
                name: u.display_name,
            };
            (c.user_id, c)
        })
        .collect())
}

/// Accounts a roster form offers: (leaders, everyone rosterable), by name.
pub async fn rosterable(
    db: &impl ConnectionTrait,
    county: &str,
) -> AppResult<(Vec<(Uuid, String)>, Vec<(Uuid, String)>)> {
    let prefix: String = county.chars().take(6).collect();
    let users = user::Entity::find()
        .filter(user::Column::RegionCode.starts_with(prefix.as_str()))
        .filter(user::Column::Enabled.eq(true))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    let found = candidates(db, county, &ids).await?;
    let mut leaders = Vec::new();
    let mut all = Vec::new();
    for u in users {
        if let Some(c) = found.get(&u.id).filter(|c| c.rosterable) {
            if c.is_leader {
                leaders.push((c.user_id, c.name.clone()));
            }
            all.push((c.user_id, c.name.clone()));
        }
    }
    Ok((leaders, all))
}

fn voided_periods() -> sea_orm::sea_query::SelectStatement {
    period::Entity::find()
        .select_only()
        .column(period::Column::Id)
        .filter(period::Column::VoidedAt.is_not_null())
        .into_query()
}

/// Other shifts these people stand that overlap `window` (any live period of the county).
async fn busy(
    db: &impl ConnectionTrait,
    people: &[Uuid],
    window: (DateTime<Utc>, DateTime<Utc>),
    except_shifts: &[Uuid],
) -> AppResult<Vec<Busy>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let rows = assignment::Entity::find()
        .filter(assignment::Column::UserId.is_in(people.to_vec()))
        .filter(assignment::Column::StartsAt.lt(window.1))
        .filter(assignment::Column::EndsAt.gt(window.0))
        .filter(assignment::Column::ShiftId.is_not_in(except_shifts.to_vec()))
        .filter(assignment::Column::PeriodId.not_in_subquery(voided_periods()))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for a in rows {
        let label = match shift::Entity::find_by_id(a.shift_id).one(db).await? {
            Some(s) => {
                let p = period::Entity::find_by_id(s.period_id).one(db).await?;
                let slot = Slot::parse(&s.slot).unwrap_or(Slot::Full);
                format!(
                    "{} {}",
                    p.map(|p| p.name).unwrap_or_default(),
                    model::shift_label(s.day, slot, s.starts_at, s.ends_at)
                )
            }
            None => continue,
        };
        out.push(Busy {
            user_id: a.user_id,
            label,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
        });
    }
    Ok(out)
}

fn parse_ids(
    errors: &mut FieldErrors,
    field: &str,
    leader: &Option<String>,
    officers: &[String],
) -> (Option<Uuid>, Vec<Uuid>) {
    let mut bad = false;
    let mut parse = |text: &str| match Uuid::parse_str(text.trim()) {
        Ok(id) => Some(id),
        Err(_) => {
            bad = true;
            None
        }
    };
    let leader = optional(leader).and_then(|t| parse(&t));
    let officers: Vec<Uuid> = officers
        .iter()
        .filter(|t| !t.trim().is_empty())
        .filter_map(|t| parse(t))
        .collect();
    if bad {
        errors.insert(field.into(), "人员编号格式不正确".into());
    }
    (leader, officers)
}

/// Check and write one shift's people inside `txn`; problems go into `errors` under
/// `prefix` + field. Returns whether it was written.
async fn write_shift(
    txn: &impl ConnectionTrait,
    s: &shift::Model,
    leader: Option<Uuid>,
    officers: &[Uuid],
    errors: &mut FieldErrors,
    prefix: &str,
) -> AppResult<bool> {
    let mut ids: Vec<Uuid> = leader.into_iter().chain(officers.iter().copied()).collect();
    let found = candidates(txn, &s.region_code, &ids).await?;
    if let Some(missing) = ids.iter().find(|id| !found.contains_key(id)) {
        let field = if Some(*missing) == leader {
            "leader_id"
        } else {
            "officer_ids"
        };
        errors.insert(format!("{prefix}{field}"), "所选人员不存在".into());
        return Ok(false);
    }
    let leader_c = leader.and_then(|id| found.get(&id));
    let officer_cs: Vec<Candidate> = officers
        .iter()
        .filter_map(|id| found.get(id).cloned())
        .collect();
    ids.sort();
    ids.dedup();
    let window = (s.starts_at, s.ends_at);
    let taken = busy(txn, &ids, window, &[s.id]).await?;
    let problems = model::check_roster(window, leader_c, &officer_cs, &taken);
    if !problems.is_empty() {
        for p in problems {
            let field = p.field().unwrap_or("officer_ids");
            errors
                .entry(format!("{prefix}{field}"))
                .and_modify(|m| {
                    m.push('；');
                    m.push_str(&p.to_string());
                })
                .or_insert_with(|| p.to_string());
        }
        return Ok(false);
    }
    // Keep the rows of people who stay (their reminder stays sent); replace the rest.
    let existing = assignment::Entity::find()
        .filter(assignment::Column::ShiftId.eq(s.id))
        .all(txn)
        .await?;
    let wanted: Vec<(Uuid, Post)> = leader
        .map(|l| (l, Post::Leader))
        .into_iter()
        .chain(officers.iter().map(|o| (*o, Post::Officer)))
        .collect();
    for a in &existing {
        let keep = wanted
            .iter()
            .any(|(u, p)| *u == a.user_id && p.code() == a.post);
        if !keep {
            assignment::Entity::delete_by_id(a.id).exec(txn).await?;
        }
    }
    for (sort, (user_id, post)) in wanted.iter().enumerate() {
        match existing
            .iter()
            .find(|a| a.user_id == *user_id && a.post == post.code())
        {
            Some(a) => {
                assignment::Entity::update_many()
                    .col_expr(assignment::Column::Sort, Expr::value(sort as i32))
                    .filter(assignment::Column::Id.eq(a.id))
                    .exec(txn)
                    .await?;
            }
            None => {
                assignment::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    shift_id: Set(s.id),
                    period_id: Set(s.period_id),
                    region_code: Set(s.region_code.clone()),
                    user_id: Set(*user_id),
                    post: Set(post.code().into()),
                    sort: Set(sort as i32),
                    starts_at: Set(s.starts_at),
                    ends_at: Set(s.ends_at),
                    reminded_at: Set(None),
                }
                .insert(txn)
                .await?;
            }
        }
    }
    Ok(true)
}

async fn bump_shift(
    txn: &impl ConnectionTrait,
    id: Uuid,
    version: Option<i32>,
    who: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    match version {
        Some(v) => {
            platform::db::versioned_update(txn, shift::Entity::update_many(), id, v, who, now).await
        }
        None => {
            shift::Entity::update_many()
                .col_expr(
                    shift::Column::Version,
                    sea_orm::sea_query::ExprTrait::add(Expr::col(shift::Column::Version), 1),
                )
                .col_expr(shift::Column::UpdatedAt, Expr::value(now))
                .col_expr(shift::Column::UpdatedBy, Expr::value(Some(who)))
                .filter(shift::Column::Id.eq(id))
                .exec(txn)
                .await?;
            Ok(())
        }
    }
}

/// 排班: set who stands one shift. Refused as a whole when any rule fails.
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    shift_id: Uuid,
    input: &ShiftInput,
) -> AppResult<Shift> {
    let scope = require_writer(actor)?;
    let sight = Sight::Scope(scope);
    let before = get_shift_in(&state.db, &sight, shift_id).await?;
    let mut errors = FieldErrors::new();
    let (leader, officers) = parse_ids(
        &mut errors,
        "officer_ids",
        &input.leader_id,
        &input.officer_ids,
    );
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let m = shift::Entity::find_by_id(shift_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !write_shift(&txn, &m, leader, &officers, &mut errors, "").await? {
        return Err(AppError::Validation(errors));
    }
    bump_shift(&txn, shift_id, input.version, actor.user_id, now).await?;
    let after = get_shift_in(&txn, &sight, shift_id).await?;
    let entry = Entry::new("duty.assign", KIND_SHIFT, shift_id, &after.region_code)
        .summary(format!(
            "调整班次 {}：带班领导 {}，值班员 {}",
            after.label,
            or_none(after.leader_name()),
            or_none(&after.officer_names())
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

fn or_none(text: &str) -> &str {
    if text.is_empty() { "（空）" } else { text }
}

async fn get_shift_in(db: &impl ConnectionTrait, sight: &Sight, id: Uuid) -> AppResult<Shift> {
    let m = shift::Entity::find_by_id(id)
        .filter(sight.shifts())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let period = load_period(db, sight, m.period_id).await?;
    Ok(decorate(db, period.min_officers, vec![m]).await?.remove(0))
}

/// 批量排班: many shifts of one period at once, all or nothing; errors are keyed
/// `entries[i].field`.
pub async fn set_roster(
    state: &AppState,
    actor: &Actor,
    period_id: Uuid,
    input: &RosterInput,
) -> AppResult<Roster> {
    let scope = require_writer(actor)?;
    let sight = Sight::Scope(scope);
    let period = load_period(&state.db, &sight, period_id).await?;
    if input.entries.is_empty() {
        return Err(AppError::field("entries", "请至少填写一个班次"));
    }
    if input.entries.len() > 1000 {
        return Err(AppError::field("entries", "一次最多排 1000 个班次"));
    }
    let shifts: HashMap<(NaiveDate, String), shift::Model> = shift::Entity::find()
        .filter(shift::Column::PeriodId.eq(period_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| ((s.day, s.slot.clone()), s))
        .collect();
    let default_slot = match period.pattern {
        ShiftPattern::FullDay => Slot::Full,
        ShiftPattern::DayNight => Slot::Day,
    };
    let mut errors = FieldErrors::new();
    let mut plan: Vec<(shift::Model, Option<Uuid>, Vec<Uuid>, String)> = Vec::new();
    for (i, e) in input.entries.iter().enumerate() {
        let prefix = format!("entries[{i}].");
        let day = platform::web::form::parse_date(&e.day);
        let slot = match optional(&e.slot) {
            None => Some(default_slot),
            Some(code) => Slot::parse(&code),
        };
        let found = match (day, slot) {
            (None, _) => {
                errors.insert(format!("{prefix}day"), "日期格式应为 2026-06-01".into());
                None
            }
            (_, None) => {
                errors.insert(
                    format!("{prefix}slot"),
                    "班次应为 full、day 或 night".into(),
                );
                None
            }
            (Some(d), Some(s)) => {
                let hit = shifts.get(&(d, s.code().to_string())).cloned();
                if hit.is_none() {
                    errors.insert(
                        format!("{prefix}day"),
                        format!("{d} {} 不在本值班期内", s.label()),
                    );
                }
                hit
            }
        };
        let (leader, officers) = parse_ids(
            &mut errors,
            &format!("{prefix}officer_ids"),
            &e.leader_id,
            &e.officer_ids,
        );
        if let Some(s) = found {
            if plan.iter().any(|(p, ..)| p.id == s.id) {
                errors.insert(format!("{prefix}day"), "同一班次重复填写".into());
                continue;
            }
            plan.push((s, leader, officers, prefix));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let before = roster(&txn, actor, period_id, None, None).await?;
    for (s, leader, officers, prefix) in &plan {
        if write_shift(&txn, s, *leader, officers, &mut errors, prefix).await? {
            bump_shift(&txn, s.id, None, actor.user_id, now).await?;
        }
    }
    if !errors.is_empty() {
        // Nothing half-written: the transaction is dropped, rolled back.
        return Err(AppError::Validation(errors));
    }
    let after = roster(&txn, actor, period_id, None, None).await?;
    let entry = Entry::new("duty.roster", KIND_PERIOD, period_id, &period.region_code)
        .summary(format!(
            "排班《{}》{} 个班次，缺岗 {} 个",
            period.name,
            plan.len(),
            after.gaps.len()
        ))
        .before(&before.shifts)
        .after(&after.shifts);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 换班申请.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Swap {
    pub id: Uuid,
    pub period_id: Uuid,
    pub period_name: String,
    pub shift_id: Uuid,
    pub shift_label: String,
    pub requester_id: Uuid,
    pub requester_name: String,
    pub post: Post,
    pub counterpart_id: Uuid,
    pub counterpart_name: String,
    pub counterpart_shift_id: Option<Uuid>,
    pub counterpart_shift_label: Option<String>,
    pub reason: String,
    pub state: SwapState,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

impl Swap {
    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    pub fn state_class(&self) -> &'static str {
        self.state.colour()
    }

    pub fn is_pending(&self) -> bool {
        self.state == SwapState::Pending
    }

    pub fn post_label(&self) -> &'static str {
        self.post.label()
    }

    pub fn created_local(&self) -> String {
        platform::clock::format_local(self.created_at)
    }

    pub fn in_return(&self) -> &str {
        self.counterpart_shift_label
            .as_deref()
            .unwrap_or("（顶班，不对调）")
    }
}

async fn decorate_swaps(
    db: &impl ConnectionTrait,
    models: Vec<swap::Model>,
) -> AppResult<Vec<Swap>> {
    let mut people: Vec<Uuid> = Vec::new();
    let mut shift_ids: Vec<Uuid> = Vec::new();
    let mut period_ids: Vec<Uuid> = Vec::new();
    for m in &models {
        people.extend([m.requester_id, m.counterpart_id]);
        people.extend(m.decided_by);
        shift_ids.push(m.shift_id);
        shift_ids.extend(m.counterpart_shift_id);
        period_ids.push(m.period_id);
    }
    let names = platform::users::store::display_names(db, people).await?;
    let shifts: HashMap<Uuid, String> = if shift_ids.is_empty() {
        HashMap::new()
    } else {
        shift::Entity::find()
            .filter(shift::Column::Id.is_in(shift_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| {
                let slot = Slot::parse(&s.slot).unwrap_or(Slot::Full);
                (
                    s.id,
                    model::shift_label(s.day, slot, s.starts_at, s.ends_at),
                )
            })
            .collect()
    };
    let periods: HashMap<Uuid, String> = if period_ids.is_empty() {
        HashMap::new()
    } else {
        period::Entity::find()
            .filter(period::Column::Id.is_in(period_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    };
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    Ok(models
        .into_iter()
        .map(|m| Swap {
            id: m.id,
            period_id: m.period_id,
            period_name: periods.get(&m.period_id).cloned().unwrap_or_default(),
            shift_id: m.shift_id,
            shift_label: shifts.get(&m.shift_id).cloned().unwrap_or_default(),
            requester_name: name(&m.requester_id),
            requester_id: m.requester_id,
            post: Post::parse(&m.post).unwrap_or(Post::Officer),
            counterpart_name: name(&m.counterpart_id),
            counterpart_id: m.counterpart_id,
            counterpart_shift_label: m
                .counterpart_shift_id
                .and_then(|id| shifts.get(&id).cloned()),
            counterpart_shift_id: m.counterpart_shift_id,
            reason: m.reason,
            state: SwapState::parse(&m.state).unwrap_or(SwapState::Pending),
            decided_by_name: m.decided_by.map(|id| name(&id)),
            decided_at: m.decided_at,
            decision_note: m.decision_note,
            created_at: m.created_at,
            version: m.version,
        })
        .collect())
}

fn swap_sight(actor: &Actor) -> AppResult<Condition> {
    Ok(match sight(actor)? {
        Sight::Scope(scope) => scope.condition(swap::Column::RegionCode),
        Sight::Own(me) => Condition::any()
            .add(swap::Column::RequesterId.eq(me))
            .add(swap::Column::CounterpartId.eq(me)),
    })
}

/// Swap requests the reader may see, newest first; pending ones first when asked.
pub async fn swaps(
    db: &impl ConnectionTrait,
    actor: &Actor,
    state: Option<SwapState>,
) -> AppResult<Vec<Swap>> {
    let mut q = swap::Entity::find().filter(swap_sight(actor)?);
    if let Some(s) = state {
        q = q.filter(swap::Column::State.eq(s.code()));
    }
    let models = q
        .order_by_desc(swap::Column::CreatedAt)
        .limit(200)
        .all(db)
        .await?;
    decorate_swaps(db, models).await
}

pub async fn get_swap(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Swap> {
    let m = swap::Entity::find_by_id(id)
        .filter(swap_sight(actor)?)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate_swaps(db, vec![m]).await?.remove(0))
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct SwapInput {
    /// The requester's own shift.
    #[serde(default)]
    pub shift_id: String,
    /// Who takes it.
    #[serde(default)]
    pub with_user_id: String,
    /// Their shift the requester takes in return (same period); empty for a plain stand-in.
    pub with_shift_id: Option<String>,
    pub reason: Option<String>,
}

fn refused(e: RosterError) -> AppError {
    match e.field() {
        Some(f) => AppError::field(f, e.to_string()),
        None => AppError::conflict("swap_refused", e.to_string()),
    }
}

fn uuid_field(errors: &mut FieldErrors, field: &str, text: &str, label: &str) -> Option<Uuid> {
    let t = text.trim();
    if t.is_empty() {
        errors.insert(field.into(), format!("请选择{label}"));
        return None;
    }
    let id = Uuid::parse_str(t).ok();
    if id.is_none() {
        errors.insert(field.into(), format!("{label}编号格式不正确"));
    }
    id
}

async fn assignment_of(
    db: &impl ConnectionTrait,
    shift_id: Uuid,
    user_id: Uuid,
) -> AppResult<Option<assignment::Model>> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::ShiftId.eq(shift_id))
        .filter(assignment::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// 申请换班: the requester must stand the shift, which must not have started.
pub async fn request_swap(state: &AppState, actor: &Actor, input: &SwapInput) -> AppResult<Swap> {
    actor.require(perm::DUTY_VIEW)?;
    let mut errors = FieldErrors::new();
    let shift_id = uuid_field(&mut errors, "shift_id", &input.shift_id, "班次");
    let with_user = uuid_field(&mut errors, "with_user_id", &input.with_user_id, "换班对象");
    let with_shift = match optional(&input.with_shift_id) {
        Some(t) => uuid_field(&mut errors, "with_shift_id", &t, "对调班次"),
        None => None,
    };
    let reason =
        text_field(&mut errors, "reason", &input.reason, 500, "换班理由").unwrap_or_default();
    let (Some(shift_id), Some(with_user)) = (shift_id, with_user) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.now();
    let s = shift::Entity::find_by_id(shift_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mine = assignment_of(&state.db, shift_id, actor.user_id)
        .await?
        .ok_or_else(|| AppError::field("shift_id", RosterError::NotYourShift.to_string()))?;
    if s.starts_at <= now {
        return Err(refused(RosterError::ShiftStarted));
    }
    if with_user == actor.user_id {
        return Err(refused(RosterError::SwapWithSelf));
    }
    let found = candidates(&state.db, &s.region_code, &[with_user]).await?;
    match found.get(&with_user) {
        Some(c) if c.rosterable => {}
        _ => return Err(AppError::field("with_user_id", "换班对象不存在或不能排班")),
    }
    if let Some(ws) = with_shift {
        let other = shift::Entity::find_by_id(ws)
            .filter(shift::Column::PeriodId.eq(s.period_id))
            .one(&state.db)
            .await?;
        match other {
            Some(o) if o.starts_at <= now => return Err(refused(RosterError::ShiftStarted)),
            Some(o) if assignment_of(&state.db, o.id, with_user).await?.is_some() => {}
            _ => return Err(refused(RosterError::CounterpartNotOnShift)),
        }
    }
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    let inserted = swap::ActiveModel {
        period_id: Set(s.period_id),
        shift_id: Set(shift_id),
        requester_id: Set(actor.user_id),
        post: Set(mine.post.clone()),
        counterpart_id: Set(with_user),
        counterpart_shift_id: Set(with_shift),
        reason: Set(reason),
        state: Set(SwapState::Pending.code().into()),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(None),
        ..platform::db::new_record(id, s.region_code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    // The inserted row as written, decorated without reading it back.
    let created = decorate_swaps(&txn, vec![inserted]).await?.remove(0);
    let entry = Entry::new("duty.swap.request", KIND_SWAP, id, &s.region_code)
        .summary(format!(
            "{} 申请将 {} 换给 {}",
            created.requester_name, created.shift_label, created.counterpart_name
        ))
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DecideInput {
    /// true to approve, false to reject.
    #[serde(default, deserialize_with = "platform::web::form::de_required_flag")]
    #[schema(value_type = bool)]
    pub approve: bool,
    pub note: Option<String>,
    pub version: i32,
}

/// Whether the actor may decide swaps of a period: its creator or a county writer.
pub fn owns(actor: &Actor, period_created_by: Option<Uuid>) -> bool {
    is_writer(actor) || period_created_by == Some(actor.user_id)
}

/// Move one assignment to another person (reminder re-armed).
async fn hand_over_assignment(
    txn: &impl ConnectionTrait,
    a: &assignment::Model,
    to: Uuid,
) -> AppResult<()> {
    assignment::Entity::update_many()
        .col_expr(assignment::Column::UserId, Expr::value(to))
        .col_expr(
            assignment::Column::RemindedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(assignment::Column::Id.eq(a.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Check that `person` may take `a`'s post on its shift, besides the shifts they leave.
async fn check_taking(
    txn: &impl ConnectionTrait,
    a: &assignment::Model,
    person: Uuid,
    leaving: &[Uuid],
) -> AppResult<()> {
    let found = candidates(txn, &a.region_code, &[person]).await?;
    let c = found.get(&person).ok_or(AppError::NotFound)?;
    if assignment_of(txn, a.shift_id, person).await?.is_some() {
        return Err(refused(RosterError::Twice {
            name: c.name.clone(),
        }));
    }
    let window = (a.starts_at, a.ends_at);
    let mut except = leaving.to_vec();
    except.push(a.shift_id);
    let taken = busy(txn, &[person], window, &except).await?;
    let (leader, officers) = match Post::parse(&a.post) {
        Some(Post::Leader) => (Some(c), Vec::new()),
        _ => (None, vec![c.clone()]),
    };
    match model::check_roster(window, leader, &officers, &taken)
        .into_iter()
        .next()
    {
        Some(e) => Err(AppError::conflict("swap_refused", e.to_string())),
        None => Ok(()),
    }
}

/// 审批换班. Approval moves the assignments in the same transaction, re-checking the rules
/// against the roster as it is now.
pub async fn decide_swap(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &DecideInput,
) -> AppResult<Swap> {
    let before = get_swap(&state.db, actor, id).await?;
    let p = period::Entity::find_by_id(before.period_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !owns(actor, p.created_by) {
        return Err(AppError::Forbidden);
    }
    let next = model::decide(
        before.state,
        before.requester_id,
        actor.user_id,
        input.approve,
    )
    .map_err(refused)?;
    let mut errors = FieldErrors::new();
    let note = text_field(&mut errors, "note", &input.note, 500, "审批意见");
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    if next == SwapState::Approved {
        let mine = assignment_of(&txn, before.shift_id, before.requester_id)
            .await?
            .ok_or_else(|| {
                AppError::conflict("swap_refused", "申请人已不在该班次，换班申请无法执行")
            })?;
        let theirs = match before.counterpart_shift_id {
            Some(ws) => Some(
                assignment_of(&txn, ws, before.counterpart_id)
                    .await?
                    .ok_or_else(|| {
                        AppError::conflict(
                            "swap_refused",
                            RosterError::CounterpartNotOnShift.to_string(),
                        )
                    })?,
            ),
            None => None,
        };
        let their_shift: Vec<Uuid> = theirs.iter().map(|t| t.shift_id).collect();
        check_taking(&txn, &mine, before.counterpart_id, &their_shift).await?;
        if let Some(t) = &theirs {
            check_taking(&txn, t, before.requester_id, &[mine.shift_id]).await?;
        }
        hand_over_assignment(&txn, &mine, before.counterpart_id).await?;
        bump_shift(&txn, mine.shift_id, None, actor.user_id, now).await?;
        if let Some(t) = &theirs {
            hand_over_assignment(&txn, t, before.requester_id).await?;
            bump_shift(&txn, t.shift_id, None, actor.user_id, now).await?;
        }
    }
    platform::db::versioned_update(
        &txn,
        swap::Entity::update_many()
            .col_expr(swap::Column::State, Expr::value(next.code()))
            .col_expr(swap::Column::DecidedBy, Expr::value(Some(actor.user_id)))
            .col_expr(swap::Column::DecidedAt, Expr::value(Some(now)))
            .col_expr(swap::Column::DecisionNote, Expr::value(note))
            .filter(swap::Column::State.eq(SwapState::Pending.code())),
        id,
        input.version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get_swap(&txn, actor, id).await?;
    let action = if input.approve {
        "duty.swap.approve"
    } else {
        "duty.swap.reject"
    };
    let entry = Entry::new(action, KIND_SWAP, id, &p.region_code)
        .summary(format!(
            "{}换班申请：{} 的 {} 换给 {}",
            next.label(),
            after.requester_name,
            after.shift_label,
            after.counterpart_name
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// Who is on duty at `at` in a county: (the leader on duty, the officers). With several
/// periods running at once (防汛 and a 重大活动), the one that started first answers. `None`
/// when no shift of the county covers `at`.
pub async fn on_duty_at(
    db: &impl ConnectionTrait,
    county: &str,
    at: DateTime<Utc>,
) -> AppResult<Option<(Option<Uuid>, Vec<Uuid>)>> {
    let Some((_, s)) = shifts_at(db, &Scope::of(county), at)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let rows = assignment::Entity::find()
        .filter(assignment::Column::ShiftId.eq(s.id))
        .order_by_asc(assignment::Column::Sort)
        .all(db)
        .await?;
    let leader = rows
        .iter()
        .find(|a| a.post == Post::Leader.code())
        .map(|a| a.user_id);
    let officers = rows
        .iter()
        .filter(|a| a.post == Post::Officer.code())
        .map(|a| a.user_id)
        .collect();
    Ok(Some((leader, officers)))
}

/// The shifts running at `at` in a scope, with their periods, earliest period first.
pub async fn shifts_at(
    db: &impl ConnectionTrait,
    scope: &Scope,
    at: DateTime<Utc>,
) -> AppResult<Vec<(Period, shift::Model)>> {
    let running = shift::Entity::find()
        .filter(scope.condition(shift::Column::RegionCode))
        .filter(shift::Column::StartsAt.lte(at))
        .filter(shift::Column::EndsAt.gt(at))
        .all(db)
        .await?;
    let mut out = Vec::new();
    for s in running {
        if let Some(p) = period::Entity::find_by_id(s.period_id)
            .filter(period::Column::VoidedAt.is_null())
            .one(db)
            .await?
        {
            out.push((Period::from_model(p), s));
        }
    }
    out.sort_by_key(|(p, _)| (p.starts_on, p.id));
    Ok(out)
}

/// The shift after `s` in its period (the one that takes over at its end).
pub async fn next_shift(
    db: &impl ConnectionTrait,
    s: &shift::Model,
) -> AppResult<Option<shift::Model>> {
    Ok(shift::Entity::find()
        .filter(shift::Column::PeriodId.eq(s.period_id))
        .filter(shift::Column::StartsAt.eq(s.ends_at))
        .one(db)
        .await?)
}

/// The shift before `s` in its period.
pub async fn previous_shift(
    db: &impl ConnectionTrait,
    s: &shift::Model,
) -> AppResult<Option<shift::Model>> {
    Ok(shift::Entity::find()
        .filter(shift::Column::PeriodId.eq(s.period_id))
        .filter(shift::Column::EndsAt.eq(s.starts_at))
        .one(db)
        .await?)
}

/// Whether a user stands a shift (either post).
pub async fn stands(db: &impl ConnectionTrait, shift_id: Uuid, user_id: Uuid) -> AppResult<bool> {
    Ok(assignment_of(db, shift_id, user_id).await?.is_some())
}

/// Swaps waiting for this actor's decision.
pub async fn work_items(state: &AppState, actor: &Actor) -> AppResult<Vec<WorkItem>> {
    if !actor.can(perm::DUTY_VIEW) {
        return Ok(Vec::new());
    }
    let mut q = swap::Entity::find()
        .filter(swap::Column::State.eq(SwapState::Pending.code()))
        .filter(swap::Column::RequesterId.ne(actor.user_id));
    if is_writer(actor) {
        q = q.filter(actor.scope().condition(swap::Column::RegionCode));
    } else {
        let own = period::Entity::find()
            .select_only()
            .column(period::Column::Id)
            .filter(period::Column::CreatedBy.eq(actor.user_id))
            .into_query();
        q = q.filter(swap::Column::PeriodId.in_subquery(own));
    }
    let n = q.count(&state.db).await?;
    let mut items = Vec::new();
    if n > 0 {
        items.push(WorkItem {
            title: format!("换班申请待审批 {n} 件"),
            detail: "值班人员提出的换班申请，请审批".into(),
            href: "/duty/swaps?state=pending".into(),
            urgent: false,
        });
    }
    items.extend(crate::logs::store::work_items(state, actor).await?);
    Ok(items)
}

/// Days shown by a calendar: a month (`2026-06`) or a week from a day, clipped to the period.
pub fn month_range(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").ok()?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next - Duration::days(1)))
}
