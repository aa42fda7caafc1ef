//! Programmes and rolls: queries and changes, scoped and audited.
//! - Programmes are the county's (region_code = the county): every DISASTER_VIEW holder of the
//!   county reads them, county writers create and close them.
//! - A roll belongs to a village (region_code = the village): readers see the rolls in their
//!   scope; the village liaison builds its own, a township's staff build and check those of
//!   its villages, the county approves.

use std::collections::HashMap;

use chrono::NaiveDate;
use platform::access::{Actor, Scope};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::{Level as RegionLevel, township_of};
use platform::regions::store::Region;
use platform::web::AppState;
use platform::web::form::{fen_as_yuan, label_of, optional, parse_date};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{household, payment, programme, roll};
use super::model::{self, KINDS, RollState, Step};
use crate::access::{self, Level};

pub const KIND_PROGRAMME: &str = "disaster_relief_programme";
pub const KIND_ROLL: &str = "disaster_relief_roll";

/// Today in China.
pub fn today(state: &AppState) -> NaiveDate {
    state
        .now()
        .with_timezone(&platform::clock::china())
        .date_naive()
}

/// Full ID and account numbers are for the editors who build and check rolls in scope;
/// everyone else (leaders, duty officers) sees them masked as on the notice board.
pub fn sees_full_numbers(actor: &Actor) -> bool {
    actor.can(platform::access::perm::DISASTER_EDIT) && access::level(actor).is_some()
}

/// The townships in the actor's scope (a village's is its own).
pub async fn townships(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<Region>> {
    access::require_reader(actor)?;
    // A village's liaison sees the township its village lies in.
    let scope = if actor.scope().prefix().len() > 9 {
        Scope::of(&township_of(&actor.region_code))
    } else {
        actor.scope()
    };
    platform::regions::store::list_level(db, &scope, RegionLevel::Township).await
}

/// The villages in the actor's scope.
pub async fn villages(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<Region>> {
    access::require_reader(actor)?;
    platform::regions::store::list_level(db, &actor.scope(), RegionLevel::Village).await
}

// ---------------------------------------------------------------------------------------------
// Programmes

/// A programme as shown and sent.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Programme {
    pub id: Uuid,
    pub county: String,
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub year: i32,
    pub period_label: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub budget_fen: i64,
    pub cap_fen: Option<i64>,
    pub process_id: Option<Uuid>,
    /// open | closed
    pub status: String,
    pub version: i32,
}

impl Programme {
    pub fn budget_yuan(&self) -> String {
        fen_as_yuan(self.budget_fen)
    }
    pub fn cap_yuan(&self) -> String {
        self.cap_fen
            .map(fen_as_yuan)
            .unwrap_or_else(|| "不限".into())
    }
    pub fn is_open(&self) -> bool {
        self.status == "open"
    }
}

impl From<programme::Model> for Programme {
    fn from(m: programme::Model) -> Self {
        Self {
            id: m.id,
            county: m.region_code,
            kind_label: label_of(KINDS, &m.kind).to_string(),
            kind: m.kind,
            name: m.name,
            year: m.year,
            period_label: m.period_label,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            budget_fen: m.budget_fen,
            cap_fen: m.cap_fen,
            process_id: m.process_id,
            status: m.status,
            version: m.version,
        }
    }
}

/// The county's programmes, newest first.
pub async fn list_programmes(state: &AppState, actor: &Actor) -> AppResult<Vec<Programme>> {
    let county = access::require_reader(actor)?;
    Ok(programme::Entity::find()
        .filter(programme::Column::RegionCode.eq(county))
        .filter(programme::Column::VoidedAt.is_null())
        .order_by_desc(programme::Column::StartsOn)
        .order_by_asc(programme::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(Programme::from)
        .collect())
}

pub(crate) async fn programme_row(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<programme::Model> {
    let county = access::require_reader(actor)?;
    programme::Entity::find_by_id(id)
        .filter(programme::Column::RegionCode.eq(county))
        .filter(programme::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get_programme(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Programme> {
    Ok(programme_row(&state.db, actor, id).await?.into())
}

/// A programme as typed or sent; money in yuan.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ProgrammeInput {
    /// emergency | transitional | housing | winter_spring | drought
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    /// e.g. 2026–2027年度冬春
    #[serde(default)]
    pub period_label: String,
    /// 2026-11-01
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    /// 预算（元）
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub budget: Option<String>,
    /// 每户上限（元）; blank: none.
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub cap: Option<String>,
    /// The disaster process it answers, if any.
    #[serde(default)]
    pub process_id: Option<String>,
}

struct CheckedProgramme {
    kind: String,
    name: String,
    period_label: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    budget_fen: i64,
    cap_fen: Option<i64>,
    process_id: Option<Uuid>,
}

fn check_programme(input: &ProgrammeInput) -> Result<CheckedProgramme, FieldErrors> {
    let mut errors = FieldErrors::new();
    if label_of(KINDS, &input.kind).is_empty() {
        errors.insert("kind".into(), "请选择救助类别".into());
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert("name".into(), "请填写项目名称（100 字以内）".into());
    }
    let period_label = input.period_label.trim();
    if period_label.is_empty() || period_label.chars().count() > 50 {
        errors.insert(
            "period_label".into(),
            "请填写救助期间，如 2026–2027年度冬春".into(),
        );
    }
    let starts_on = parse_date(&input.starts_on);
    if starts_on.is_none() {
        errors.insert("starts_on".into(), "请填写开始日期，如 2026-11-01".into());
    }
    let ends_on = parse_date(&input.ends_on);
    match (starts_on, ends_on) {
        (_, None) => {
            errors.insert("ends_on".into(), "请填写结束日期，如 2027-04-30".into());
        }
        (Some(s), Some(e)) if e < s => {
            errors.insert("ends_on".into(), "结束日期不能早于开始日期".into());
        }
        _ => {}
    }
    let budget = optional(&input.budget).and_then(|t| model::yuan_to_fen(&t));
    if budget.is_none() {
        errors.insert("budget".into(), "请填写预算金额（元），如 5000000".into());
    }
    let cap = optional(&input.cap).map(|t| model::yuan_to_fen(&t));
    if matches!(cap, Some(None) | Some(Some(0))) {
        errors.insert(
            "cap".into(),
            "每户上限应为大于 0 的金额（元），不限请留空".into(),
        );
    }
    let process_id = optional(&input.process_id).map(|t| Uuid::parse_str(&t).ok());
    if matches!(process_id, Some(None)) {
        errors.insert("process_id".into(), "灾害过程编号无效".into());
    }
    match (starts_on, ends_on, budget) {
        (Some(starts_on), Some(ends_on), Some(budget_fen)) if errors.is_empty() => {
            Ok(CheckedProgramme {
                kind: input.kind.clone(),
                name: name.to_string(),
                period_label: period_label.to_string(),
                starts_on,
                ends_on,
                budget_fen,
                cap_fen: cap.flatten(),
                process_id: process_id.flatten(),
            })
        }
        _ => Err(errors),
    }
}

/// 新增 a programme (county writers).
pub async fn create_programme(
    state: &AppState,
    actor: &Actor,
    input: &ProgrammeInput,
) -> AppResult<Programme> {
    let county = access::require_county_writer(actor)?;
    let c = check_programme(input).map_err(AppError::Validation)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let row = programme::ActiveModel {
        kind: Set(c.kind),
        name: Set(c.name),
        year: Set(chrono::Datelike::year(&c.starts_on)),
        period_label: Set(c.period_label),
        starts_on: Set(c.starts_on),
        ends_on: Set(c.ends_on),
        budget_fen: Set(c.budget_fen),
        cap_fen: Set(c.cap_fen),
        process_id: Set(c.process_id),
        status: Set("open".into()),
        ..platform::db::new_record(Uuid::now_v7(), county, Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let saved = Programme::from(row);
    let entry = Entry::new(
        "disaster.relief.programme.create",
        KIND_PROGRAMME,
        saved.id,
        &saved.county,
    )
    .summary(format!(
        "新增救助项目：{}（{}）",
        saved.name, saved.period_label
    ))
    .after(&saved);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(saved)
}

/// 结束 a programme: no new rolls or households; payments of approved rolls go on.
pub async fn close_programme(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    version: i32,
) -> AppResult<Programme> {
    access::require_county_writer(actor)?;
    let before = programme_row(&state.db, actor, id).await?;
    if before.status == "closed" {
        return Err(AppError::conflict("programme_closed", "该救助项目已结束"));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let changes =
        programme::Entity::update_many().col_expr(programme::Column::Status, Expr::value("closed"));
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    let entry = Entry::new(
        "disaster.relief.programme.close",
        KIND_PROGRAMME,
        id,
        &before.region_code,
    )
    .summary(format!("结束救助项目：{}", before.name));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get_programme(state, actor, id).await
}

// ---------------------------------------------------------------------------------------------
// Rolls

/// A roll with its figures, as listed and sent.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Roll {
    pub id: Uuid,
    pub programme_id: Uuid,
    pub programme_name: String,
    pub village: String,
    pub village_name: String,
    pub township: String,
    pub township_name: String,
    pub state: RollState,
    pub state_label: String,
    pub posted_from: Option<NaiveDate>,
    pub posted_to: Option<NaiveDate>,
    pub return_reason: Option<String>,
    pub households: i64,
    pub people: i64,
    pub amount_fen: i64,
    pub paid_fen: i64,
    pub version: i32,
}

impl Roll {
    pub fn amount_yuan(&self) -> String {
        fen_as_yuan(self.amount_fen)
    }
    pub fn paid_yuan(&self) -> String {
        fen_as_yuan(self.paid_fen)
    }
    pub fn tag(&self) -> &'static str {
        self.state.tag()
    }
}

/// Filter of the roll list.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct RollFilter {
    pub programme: Option<String>,
    /// Township code (12 digits).
    pub township: Option<String>,
    /// draft | posted | checked | approved
    pub state: Option<String>,
}

/// The rolls in scope, by programme and village.
pub async fn list_rolls(
    state: &AppState,
    actor: &Actor,
    filter: &RollFilter,
) -> AppResult<Vec<Roll>> {
    let rows = rolls_query(actor, filter)?
        .order_by_desc(roll::Column::ProgrammeId)
        .order_by_asc(roll::Column::RegionCode)
        .all(&state.db)
        .await?;
    rolls_of(state, actor, rows).await
}

/// How many rolls [`list_rolls`] would list (the home page's work item counts them).
pub async fn count_rolls(state: &AppState, actor: &Actor, filter: &RollFilter) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(rolls_query(actor, filter)?.count(&state.db).await?)
}

/// The live rolls in the actor's scope that `filter` selects.
fn rolls_query(actor: &Actor, filter: &RollFilter) -> AppResult<sea_orm::Select<roll::Entity>> {
    access::require_reader(actor)?;
    let mut query = roll::Entity::find()
        .filter(actor.scope().condition(roll::Column::RegionCode))
        .filter(roll::Column::VoidedAt.is_null());
    if let Some(p) = optional(&filter.programme) {
        let id = Uuid::parse_str(&p).map_err(|_| AppError::field("programme", "救助项目无效"))?;
        query = query.filter(roll::Column::ProgrammeId.eq(id));
    }
    if let Some(t) = optional(&filter.township) {
        query = query.filter(Scope::of(&township_of(&t)).condition(roll::Column::RegionCode));
    }
    if let Some(s) = optional(&filter.state) {
        let s = RollState::parse(&s).ok_or_else(|| AppError::field("state", "状态无效"))?;
        query = query.filter(roll::Column::State.eq(s.code()));
    }
    Ok(query)
}

async fn rolls_of(state: &AppState, actor: &Actor, rows: Vec<roll::Model>) -> AppResult<Vec<Roll>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let households = household::Entity::find()
        .filter(household::Column::RollId.is_in(ids.clone()))
        .filter(household::Column::VoidedAt.is_null())
        .all(&state.db)
        .await?;
    let payments = payment::Entity::find()
        .filter(payment::Column::RollId.is_in(ids))
        .filter(payment::Column::VoidedAt.is_null())
        .all(&state.db)
        .await?;
    let programmes: HashMap<Uuid, String> = list_programmes(state, actor)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let names = platform::regions::store::short_names(
        &state.db,
        rows.iter()
            .flat_map(|r| [r.region_code.clone(), township_of(&r.region_code)]),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mine = households.iter().filter(|h| h.roll_id == r.id);
            let state = RollState::parse(&r.state).unwrap_or(RollState::Draft);
            let township = township_of(&r.region_code);
            Roll {
                id: r.id,
                programme_id: r.programme_id,
                programme_name: programmes.get(&r.programme_id).cloned().unwrap_or_default(),
                village_name: names.get(&r.region_code).cloned().unwrap_or_default(),
                township_name: names.get(&township).cloned().unwrap_or_default(),
                village: r.region_code,
                township,
                state,
                state_label: state.label().into(),
                posted_from: r.posted_from,
                posted_to: r.posted_to,
                return_reason: r.return_reason,
                households: mine.clone().count() as i64,
                people: mine.clone().map(|h| i64::from(h.size)).sum(),
                amount_fen: mine.map(|h| h.amount_fen).sum(),
                paid_fen: payments
                    .iter()
                    .filter(|p| p.roll_id == r.id)
                    .map(|p| p.amount_fen)
                    .sum(),
                version: r.version,
            }
        })
        .collect())
}

pub(crate) async fn roll_row(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<roll::Model> {
    access::require_reader(actor)?;
    roll::Entity::find_by_id(id)
        .filter(actor.scope().condition(roll::Column::RegionCode))
        .filter(roll::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get_roll(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Roll> {
    let row = roll_row(&state.db, actor, id).await?;
    Ok(rolls_of(state, actor, vec![row]).await?.remove(0))
}

/// A new roll: the programme and the village.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RollInput {
    #[serde(default)]
    pub programme_id: String,
    /// Village code (12 digits); a village liaison's own when blank.
    #[serde(default)]
    pub village: Option<String>,
}

/// 建立名册 for a village: by its liaison, or by its township's staff.
pub async fn create_roll(state: &AppState, actor: &Actor, input: &RollInput) -> AppResult<Roll> {
    let level = access::require_editor(actor)?;
    if level == Level::County {
        return Err(AppError::conflict(
            "roll_by_village",
            "名册由村（社区）填报，或由乡镇代村填报",
        ));
    }
    let programme_id = Uuid::parse_str(input.programme_id.trim())
        .map_err(|_| AppError::field("programme_id", "请选择救助项目"))?;
    let programme = programme_row(&state.db, actor, programme_id)
        .await
        .map_err(|_| AppError::field("programme_id", "请选择救助项目"))?;
    if programme.status != "open" {
        return Err(AppError::field(
            "programme_id",
            "该救助项目已结束，不能再建立名册",
        ));
    }
    let village = optional(&input.village).unwrap_or_else(|| actor.region_code.clone());
    let villages = villages(&state.db, actor).await?;
    let Some(v) = villages.iter().find(|v| v.code == village) else {
        return Err(AppError::field("village", "请选择本辖区的村（社区）"));
    };
    let existing = roll::Entity::find()
        .filter(roll::Column::ProgrammeId.eq(programme_id))
        .filter(roll::Column::RegionCode.eq(&v.code))
        .one(&state.db)
        .await?;
    if existing.is_some() {
        return Err(AppError::conflict(
            "roll_exists",
            format!("{}已有本项目的名册，请在原名册中填报", v.short_name),
        ));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let row = roll::ActiveModel {
        programme_id: Set(programme_id),
        state: Set(RollState::Draft.code().into()),
        posted_from: Set(None),
        posted_to: Set(None),
        return_reason: Set(None),
        checked_at: Set(None),
        checked_by: Set(None),
        approved_at: Set(None),
        approved_by: Set(None),
        ..platform::db::new_record(Uuid::now_v7(), v.code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await;
    let row = match row {
        Ok(r) => r,
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            return Err(AppError::conflict(
                "roll_exists",
                format!("{}已有本项目的名册，请在原名册中填报", v.short_name),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let entry = Entry::new(
        "disaster.relief.roll.create",
        KIND_ROLL,
        row.id,
        &row.region_code,
    )
    .summary(format!("建立救助名册：{} {}", programme.name, v.short_name));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get_roll(state, actor, row.id).await
}

/// A step of the roll's way as sent: 公示 dates for posting, a reason for returning.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StepInput {
    /// post | township_approve | county_approve | return
    #[serde(default)]
    pub step: String,
    /// 公示开始日期 (post).
    #[serde(default)]
    pub posted_from: Option<String>,
    /// 公示结束日期 (post; at least 7 days after the start, as rolls are posted a week).
    #[serde(default)]
    pub posted_to: Option<String>,
    /// 退回原因 (return).
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub version: Option<i32>,
}

fn step_of(code: &str) -> AppResult<Step> {
    match code {
        "post" => Ok(Step::Post),
        "township_approve" => Ok(Step::TownshipApprove),
        "county_approve" => Ok(Step::CountyApprove),
        "return" => Ok(Step::Return),
        _ => Err(AppError::field("step", "操作无效")),
    }
}

/// 公示 / 乡镇审核 / 县级审批 / 退回.
pub async fn move_roll(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &StepInput,
) -> AppResult<Roll> {
    let level = access::require_editor(actor)?;
    let step = step_of(&input.step)?;
    let before = roll_row(&state.db, actor, id).await?;
    let current = RollState::parse(&before.state).unwrap_or(RollState::Draft);
    let next =
        model::next_state(current, step, level).map_err(|m| AppError::conflict("roll_state", m))?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))?;
    let now = state.now();
    let mut changes =
        roll::Entity::update_many().col_expr(roll::Column::State, Expr::value(next.code()));
    let summary;
    match step {
        Step::Post => {
            let (from, to) = posting_dates(input)?;
            let count = household::Entity::find()
                .filter(household::Column::RollId.eq(id))
                .filter(household::Column::VoidedAt.is_null())
                .all(&state.db)
                .await?
                .len();
            if count == 0 {
                return Err(AppError::conflict(
                    "roll_empty",
                    "名册中还没有救助对象，不能公示",
                ));
            }
            changes = changes
                .col_expr(roll::Column::PostedFrom, Expr::value(Some(from)))
                .col_expr(roll::Column::PostedTo, Expr::value(Some(to)))
                .col_expr(
                    roll::Column::ReturnReason,
                    Expr::value(Option::<String>::None),
                );
            summary = format!("名册公示：{from} 至 {to}");
        }
        Step::TownshipApprove => {
            changes = changes
                .col_expr(roll::Column::CheckedAt, Expr::value(Some(now)))
                .col_expr(roll::Column::CheckedBy, Expr::value(Some(actor.user_id)));
            summary = "乡镇审核通过".to_string();
        }
        Step::CountyApprove => {
            changes = changes
                .col_expr(roll::Column::ApprovedAt, Expr::value(Some(now)))
                .col_expr(roll::Column::ApprovedBy, Expr::value(Some(actor.user_id)));
            summary = "县级审批通过".to_string();
        }
        Step::Return => {
            let reason = optional(&input.reason)
                .filter(|r| r.chars().count() <= 500)
                .ok_or_else(|| AppError::field("reason", "请填写退回原因（500 字以内）"))?;
            changes = changes.col_expr(
                roll::Column::ReturnReason,
                Expr::value(Some(reason.clone())),
            );
            summary = format!("名册退回村级：{reason}");
        }
    }
    let txn = state.db.begin().await?;
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    let entry = Entry::new(action_of(step), KIND_ROLL, id, &before.region_code)
        .summary(summary)
        .before(&serde_json::json!({"state": before.state}))
        .after(&serde_json::json!({"state": next.code()}));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get_roll(state, actor, id).await
}

fn action_of(step: Step) -> &'static str {
    match step {
        Step::Post => "disaster.relief.roll.post",
        Step::TownshipApprove => "disaster.relief.roll.check",
        Step::CountyApprove => "disaster.relief.roll.approve",
        Step::Return => "disaster.relief.roll.return",
    }
}

fn posting_dates(input: &StepInput) -> AppResult<(NaiveDate, NaiveDate)> {
    let mut errors = FieldErrors::new();
    let from = optional(&input.posted_from).and_then(|t| parse_date(&t));
    if from.is_none() {
        errors.insert(
            "posted_from".into(),
            "请填写公示开始日期，如 2026-11-10".into(),
        );
    }
    let to = optional(&input.posted_to).and_then(|t| parse_date(&t));
    match (from, to) {
        (Some(f), Some(t)) if (t - f).num_days() >= 7 => Ok((f, t)),
        (Some(_), Some(_)) => {
            errors.insert("posted_to".into(), "公示期不少于 7 天".into());
            Err(AppError::Validation(errors))
        }
        _ => {
            if to.is_none() {
                errors.insert(
                    "posted_to".into(),
                    "请填写公示结束日期，如 2026-11-17".into(),
                );
            }
            Err(AppError::Validation(errors))
        }
    }
}
