//! Households on a roll: added, edited and voided while the village fills the roll in; after
//! the county's approval changed only by a correction record (reason, before and after). A
//! household is on at most one live roll row per programme: the store names where it already
//! is, and the database's unique index (programme, live ID number) settles concurrent adds.

use chrono::NaiveDate;
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::{fen_as_yuan, optional};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{correction, household, payment, programme, roll};
use super::id_number::{mask_account, mask_id};
use super::model::{self, CheckedHousehold, HouseholdText, RollState};
use super::store::{self, programme_row, roll_row};
use crate::access::{self, Level};

pub const KIND_HOUSEHOLD: &str = "disaster_relief_household";

/// A household as shown and sent; numbers masked unless the reader builds or checks rolls.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Household {
    pub id: Uuid,
    pub roll_id: Uuid,
    pub programme_id: Uuid,
    pub village: String,
    pub head_name: String,
    pub id_number: String,
    pub size: i32,
    pub bank_account: String,
    pub phone: Option<String>,
    pub reason: String,
    pub amount_fen: i64,
    pub paid_fen: i64,
    pub masked: bool,
    pub version: i32,
}

impl Household {
    pub fn amount_yuan(&self) -> String {
        fen_as_yuan(self.amount_fen)
    }
    pub fn paid_yuan(&self) -> String {
        fen_as_yuan(self.paid_fen)
    }
    pub fn unpaid_fen(&self) -> i64 {
        self.amount_fen - self.paid_fen
    }
    pub fn unpaid_yuan(&self) -> String {
        fen_as_yuan(self.unpaid_fen())
    }
}

fn to_household(m: household::Model, paid_fen: i64, full: bool) -> Household {
    Household {
        id: m.id,
        roll_id: m.roll_id,
        programme_id: m.programme_id,
        village: m.region_code,
        head_name: m.head_name,
        id_number: if full {
            m.id_number
        } else {
            mask_id(&m.id_number)
        },
        size: m.size,
        bank_account: if full {
            m.bank_account
        } else {
            mask_account(&m.bank_account)
        },
        phone: if full { m.phone } else { None },
        reason: m.reason,
        amount_fen: m.amount_fen,
        paid_fen,
        masked: !full,
        version: m.version,
    }
}

async fn paid_of(
    db: &impl ConnectionTrait,
    household_ids: Vec<Uuid>,
) -> AppResult<Vec<payment::Model>> {
    Ok(payment::Entity::find()
        .filter(payment::Column::HouseholdId.is_in(household_ids))
        .filter(payment::Column::VoidedAt.is_null())
        .all(db)
        .await?)
}

/// The roll's live households in the order they were added; `masked` forces the public view.
pub async fn of_roll(
    state: &AppState,
    actor: &Actor,
    roll_id: Uuid,
    masked: bool,
) -> AppResult<Vec<Household>> {
    roll_row(&state.db, actor, roll_id).await?;
    let rows = household::Entity::find()
        .filter(household::Column::RollId.eq(roll_id))
        .filter(household::Column::VoidedAt.is_null())
        .order_by_asc(household::Column::CreatedAt)
        .order_by_asc(household::Column::Id)
        .all(&state.db)
        .await?;
    let payments = paid_of(&state.db, rows.iter().map(|h| h.id).collect()).await?;
    let full = !masked && store::sees_full_numbers(actor);
    Ok(rows
        .into_iter()
        .map(|h| {
            let paid = payments
                .iter()
                .filter(|p| p.household_id == h.id)
                .map(|p| p.amount_fen)
                .sum();
            to_household(h, paid, full)
        })
        .collect())
}

pub(crate) async fn household_row(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<household::Model> {
    access::require_reader(actor)?;
    household::Entity::find_by_id(id)
        .filter(actor.scope().condition(household::Column::RegionCode))
        .filter(household::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get_household(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Household> {
    let h = household_row(&state.db, actor, id).await?;
    let paid = paid_of(&state.db, vec![id])
        .await?
        .iter()
        .map(|p| p.amount_fen)
        .sum();
    Ok(to_household(h, paid, store::sees_full_numbers(actor)))
}

/// A household as typed or sent; the amount in yuan.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct HouseholdInput {
    #[serde(default)]
    pub head_name: String,
    /// 18 characters; a lower-case x is taken as X.
    #[serde(default)]
    pub id_number: String,
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub size: Option<String>,
    #[serde(default)]
    pub bank_account: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// 救助原因, e.g. 因灾房屋倒塌
    #[serde(default)]
    pub reason: String,
    /// 救助金额（元）
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub amount: Option<String>,
    /// The version edited (edits and corrections).
    #[serde(default)]
    pub version: Option<i32>,
    /// 更正原因 (corrections of an approved roll).
    #[serde(default)]
    pub correction_reason: Option<String>,
}

impl HouseholdInput {
    fn text(&self) -> HouseholdText<'_> {
        HouseholdText {
            head_name: &self.head_name,
            id_number: &self.id_number,
            size: self.size.as_deref(),
            bank_account: &self.bank_account,
            phone: self.phone.as_deref(),
            reason: &self.reason,
            amount_yuan: self.amount.as_deref(),
        }
    }
}

/// Checked against the programme's cap.
pub fn check(input: &HouseholdInput, programme: &programme::Model) -> AppResult<CheckedHousehold> {
    model::check_household(&input.text(), programme.cap_fen).map_err(AppError::Validation)
}

/// Where the ID number already is in the programme, as the message the user reads.
pub async fn duplicate_message(
    db: &impl ConnectionTrait,
    programme_id: Uuid,
    id_number: &str,
    roll_id: Uuid,
    except: Option<Uuid>,
) -> AppResult<Option<String>> {
    let mut query = household::Entity::find()
        .filter(household::Column::ProgrammeId.eq(programme_id))
        .filter(household::Column::LiveIdNumber.eq(id_number));
    if let Some(id) = except {
        query = query.filter(household::Column::Id.ne(id));
    }
    let Some(found) = query.one(db).await? else {
        return Ok(None);
    };
    Ok(Some(if found.roll_id == roll_id {
        format!(
            "该户（{}，{}）已在本名册中，同一项目每户只能救助一次",
            found.head_name,
            mask_id(id_number)
        )
    } else {
        let names = platform::regions::store::short_names(db, [found.region_code.clone()]).await?;
        let village = names
            .get(&found.region_code)
            .cloned()
            .unwrap_or(found.region_code);
        format!(
            "该户（{}，{}）已在本项目{village}的名册中，同一项目同一期间每户只能救助一次",
            found.head_name,
            mask_id(id_number)
        )
    }))
}

fn duplicate(message: String) -> AppError {
    AppError::field("id_number", message)
}

pub(crate) fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// The roll and its programme when the actor may write its households now.
pub(crate) async fn writable(
    state: &AppState,
    actor: &Actor,
    roll_id: Uuid,
) -> AppResult<(roll::Model, programme::Model)> {
    if access::require_editor(actor)? == Level::County {
        return Err(AppError::conflict(
            "roll_by_village",
            "名册由村（社区）填报，或由乡镇代村填报；县级审批时可退回修改",
        ));
    }
    let r = roll_row(&state.db, actor, roll_id).await?;
    let roll_state = RollState::parse(&r.state).unwrap_or(RollState::Draft);
    if let Some(refusal) = model::edit_refusal(roll_state) {
        let code = if roll_state == RollState::Approved {
            "roll_approved"
        } else {
            "roll_in_review"
        };
        return Err(AppError::conflict(code, refusal));
    }
    let p = programme_row(&state.db, actor, r.programme_id).await?;
    if p.status != "open" {
        return Err(AppError::conflict(
            "programme_closed",
            "该救助项目已结束，不能再修改名册",
        ));
    }
    Ok((r, p))
}

fn snapshot(h: &CheckedHousehold) -> serde_json::Value {
    serde_json::json!({"head_name": h.head_name, "id_number": mask_id(&h.id_number),
        "size": h.size, "bank_account": mask_account(&h.bank_account), "reason": h.reason,
        "amount_fen": h.amount_fen})
}

fn snapshot_of(m: &household::Model) -> serde_json::Value {
    serde_json::json!({"head_name": m.head_name, "id_number": mask_id(&m.id_number),
        "size": m.size, "bank_account": mask_account(&m.bank_account), "reason": m.reason,
        "amount_fen": m.amount_fen})
}

pub(crate) async fn insert(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    r: &roll::Model,
    h: &CheckedHousehold,
) -> Result<household::Model, sea_orm::DbErr> {
    household::ActiveModel {
        programme_id: Set(r.programme_id),
        roll_id: Set(r.id),
        head_name: Set(h.head_name.clone()),
        id_number: Set(h.id_number.clone()),
        live_id_number: Set(Some(h.id_number.clone())),
        size: Set(h.size),
        bank_account: Set(h.bank_account.clone()),
        phone: Set(h.phone.clone()),
        reason: Set(h.reason.clone()),
        amount_fen: Set(h.amount_fen),
        ..platform::db::new_record(
            Uuid::now_v7(),
            r.region_code.clone(),
            Some(actor.user_id),
            now,
        )
    }
    .insert(txn)
    .await
}

/// 新增救助对象 on a roll being filled in.
pub async fn add(
    state: &AppState,
    actor: &Actor,
    roll_id: Uuid,
    input: &HouseholdInput,
) -> AppResult<Household> {
    let (r, p) = writable(state, actor, roll_id).await?;
    let h = check(input, &p)?;
    if let Some(m) = duplicate_message(&state.db, p.id, &h.id_number, r.id, None).await? {
        return Err(duplicate(m));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let row = match insert(&txn, actor, now, &r, &h).await {
        Ok(row) => row,
        Err(e) if is_unique_violation(&e) => {
            drop(txn);
            // Another add of the same household won the race: name where it went.
            let m = duplicate_message(&state.db, p.id, &h.id_number, r.id, None).await?;
            return Err(duplicate(
                m.unwrap_or_else(|| "该户已在本项目的名册中".into()),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let entry = Entry::new(
        "disaster.relief.household.add",
        KIND_HOUSEHOLD,
        row.id,
        &row.region_code,
    )
    .summary(format!(
        "名册新增救助对象：{}，{} 元",
        h.head_name,
        fen_as_yuan(h.amount_fen)
    ))
    .after(&snapshot(&h));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get_household(state, actor, row.id).await
}

/// Write the checked fields over the household at `version`, in `txn`.
async fn overwrite(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    id: Uuid,
    version: i32,
    h: &CheckedHousehold,
) -> AppResult<()> {
    let changes = household::Entity::update_many()
        .col_expr(
            household::Column::HeadName,
            Expr::value(h.head_name.clone()),
        )
        .col_expr(
            household::Column::IdNumber,
            Expr::value(h.id_number.clone()),
        )
        .col_expr(
            household::Column::LiveIdNumber,
            Expr::value(Some(h.id_number.clone())),
        )
        .col_expr(household::Column::Size, Expr::value(h.size))
        .col_expr(
            household::Column::BankAccount,
            Expr::value(h.bank_account.clone()),
        )
        .col_expr(household::Column::Phone, Expr::value(h.phone.clone()))
        .col_expr(household::Column::Reason, Expr::value(h.reason.clone()))
        .col_expr(household::Column::AmountFen, Expr::value(h.amount_fen));
    platform::db::versioned_update(txn, changes, id, version, actor.user_id, now).await
}

fn version_of(input: &HouseholdInput) -> AppResult<i32> {
    input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重新修改"))
}

/// 修改 a household while its roll is being filled in; after approval only [`correct`] may.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &HouseholdInput,
) -> AppResult<Household> {
    let before = household_row(&state.db, actor, id).await?;
    let (r, p) = writable(state, actor, before.roll_id).await?;
    let h = check(input, &p)?;
    let version = version_of(input)?;
    if let Some(m) = duplicate_message(&state.db, p.id, &h.id_number, r.id, Some(id)).await? {
        return Err(duplicate(m));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    match overwrite(&txn, actor, now, id, version, &h).await {
        Err(AppError::Internal(e))
            if e.downcast_ref::<sea_orm::DbErr>()
                .is_some_and(is_unique_violation) =>
        {
            return Err(duplicate("该户已在本项目的名册中".into()));
        }
        other => other?,
    }
    let entry = Entry::new(
        "disaster.relief.household.update",
        KIND_HOUSEHOLD,
        id,
        &before.region_code,
    )
    .summary(format!("修改救助对象：{}", h.head_name))
    .before(&snapshot_of(&before))
    .after(&snapshot(&h));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get_household(state, actor, id).await
}

/// 更正 a household of an approved roll: a reason, a correction record with before and after,
/// and an audit row; the amount may not fall below what was already paid.
pub async fn correct(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &HouseholdInput,
) -> AppResult<Household> {
    let level = access::require_editor(actor)?;
    if level == Level::Village {
        return Err(AppError::conflict(
            "correction_by_township",
            "已审批名册的更正由乡镇或县级办理",
        ));
    }
    let before = household_row(&state.db, actor, id).await?;
    let r = roll_row(&state.db, actor, before.roll_id).await?;
    if r.state != RollState::Approved.code() {
        return Err(AppError::conflict(
            "roll_not_approved",
            "名册尚未审批，请直接修改，无需更正",
        ));
    }
    let p = programme_row(&state.db, actor, r.programme_id).await?;
    let mut errors = check(input, &p)
        .err()
        .map(|e| match e {
            AppError::Validation(f) => f,
            _ => FieldErrors::new(),
        })
        .unwrap_or_default();
    let reason = optional(&input.correction_reason).filter(|t| t.chars().count() <= 500);
    if reason.is_none() {
        errors.insert(
            "correction_reason".into(),
            "请填写更正原因（500 字以内）".into(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let h = check(input, &p)?;
    let reason = reason.unwrap_or_default();
    let version = version_of(input)?;
    let paid: i64 = paid_of(&state.db, vec![id])
        .await?
        .iter()
        .map(|p| p.amount_fen)
        .sum();
    if h.amount_fen < paid {
        return Err(AppError::field(
            "amount",
            format!(
                "已发放 {} 元，更正后的金额不能少于已发放金额",
                fen_as_yuan(paid)
            ),
        ));
    }
    if let Some(m) = duplicate_message(&state.db, p.id, &h.id_number, r.id, Some(id)).await? {
        return Err(duplicate(m));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    overwrite(&txn, actor, now, id, version, &h).await?;
    correction::ActiveModel {
        roll_id: Set(r.id),
        household_id: Set(id),
        reason: Set(reason.clone()),
        before: Set(snapshot_of(&before).to_string()),
        after: Set(snapshot(&h).to_string()),
        ..platform::db::new_record(
            Uuid::now_v7(),
            before.region_code.clone(),
            Some(actor.user_id),
            now,
        )
    }
    .insert(&txn)
    .await?;
    let entry = Entry::new(
        "disaster.relief.household.correct",
        KIND_HOUSEHOLD,
        id,
        &before.region_code,
    )
    .summary(format!("更正救助对象：{}，原因：{reason}", h.head_name))
    .before(&snapshot_of(&before))
    .after(&snapshot(&h));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get_household(state, actor, id).await
}

/// 删除 (void) a household while the roll is being filled in; it may then be added again.
pub async fn void(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<()> {
    let before = household_row(&state.db, actor, id).await?;
    writable(state, actor, before.roll_id).await?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::field("reason", "请填写删除原因（200 字以内）"));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<household::Entity>(&txn, id, reason, actor.user_id, now).await?;
    // Free the ID number for a corrected entry.
    household::Entity::update_many()
        .col_expr(
            household::Column::LiveIdNumber,
            Expr::value(Option::<String>::None),
        )
        .filter(household::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let entry = Entry::new(
        "disaster.relief.household.void",
        KIND_HOUSEHOLD,
        id,
        &before.region_code,
    )
    .summary(format!(
        "删除救助对象：{}，原因：{reason}",
        before.head_name
    ))
    .before(&snapshot_of(&before));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(())
}

/// A correction as listed on the roll page.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Correction {
    pub id: Uuid,
    pub household_id: Uuid,
    pub reason: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    pub at: String,
}

pub async fn corrections(
    state: &AppState,
    actor: &Actor,
    roll_id: Uuid,
) -> AppResult<Vec<Correction>> {
    roll_row(&state.db, actor, roll_id).await?;
    Ok(correction::Entity::find()
        .filter(correction::Column::RollId.eq(roll_id))
        .order_by_asc(correction::Column::CreatedAt)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| Correction {
            id: c.id,
            household_id: c.household_id,
            reason: c.reason,
            before: serde_json::from_str(&c.before).unwrap_or_default(),
            after: serde_json::from_str(&c.after).unwrap_or_default(),
            at: platform::clock::format_local(c.created_at),
        })
        .collect())
}

/// The 公示 table's rows (masked), for the printed page and the XLSX.
pub const PUBLIC_HEADERS: [&str; 7] = [
    "序号",
    "户主姓名",
    "身份证号",
    "家庭人口",
    "救助原因",
    "救助金额（元）",
    "银行账号",
];

pub fn public_rows(households: &[Household]) -> Vec<Vec<String>> {
    households
        .iter()
        .enumerate()
        .map(|(i, h)| {
            vec![
                (i + 1).to_string(),
                h.head_name.clone(),
                mask_id(&h.id_number),
                h.size.to_string(),
                h.reason.clone(),
                h.amount_yuan(),
                mask_account(&h.bank_account),
            ]
        })
        .collect()
}

/// Posting dates shown on the notice, or blanks to fill in by hand.
pub fn posting_text(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!(
            "{} 至 {}",
            f.format("%Y年%m月%d日"),
            t.format("%Y年%m月%d日")
        ),
        _ => "____年__月__日 至 ____年__月__日".to_string(),
    }
}
