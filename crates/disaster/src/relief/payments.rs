//! 发放: payments to the households of approved rolls, one at a time or the whole roll at once
//! (one transaction), never more in total than a household's approved amount; and the paid
//! totals with person-times by programme and township over a period, for the statistics.

use chrono::NaiveDate;
use platform::access::{Actor, Scope};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::township_of;
use platform::web::AppState;
use platform::web::form::{fen_as_yuan, label_of, optional, parse_date};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{household, payment, roll};
use super::households::household_row;
use super::model::{self, METHODS, PaidItem, PaidTotal, RollState};
use super::store::roll_row;
use crate::access::{self, Level};

pub const KIND_PAYMENT: &str = "disaster_relief_payment";

/// Bounds of "any time" that both databases store (PostgreSQL's dates start in 4713 BC).
pub const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
pub const LATEST: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();

/// A payment as listed and sent.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Payment {
    pub id: Uuid,
    pub household_id: Uuid,
    pub head_name: String,
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    pub method: String,
    pub method_label: String,
    pub reference: Option<String>,
}

impl Payment {
    pub fn amount_yuan(&self) -> String {
        fen_as_yuan(self.amount_fen)
    }
}

/// A payment as typed or sent; the amount in yuan (a household's: blank pays what is left).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PaymentInput {
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub amount: Option<String>,
    /// 2027-01-15
    #[serde(default)]
    pub paid_on: String,
    /// social_card (社保卡) | bank (银行代发) | cash (现金)
    #[serde(default)]
    pub method: String,
    /// 凭证号
    #[serde(default)]
    pub reference: Option<String>,
}

struct CheckedPayment {
    amount_fen: Option<i64>,
    paid_on: NaiveDate,
    method: String,
    reference: Option<String>,
}

fn check(input: &PaymentInput) -> AppResult<CheckedPayment> {
    let mut errors = FieldErrors::new();
    let amount = optional(&input.amount).map(|t| model::yuan_to_fen(&t));
    if matches!(amount, Some(None) | Some(Some(0))) {
        errors.insert("amount".into(), "发放金额应为大于 0 的金额（元）".into());
    }
    let paid_on = parse_date(&input.paid_on);
    if paid_on.is_none() {
        errors.insert("paid_on".into(), "请填写发放日期，如 2027-01-15".into());
    }
    if label_of(METHODS, &input.method).is_empty() {
        errors.insert(
            "method".into(),
            "请选择发放方式：社保卡、银行代发或现金".into(),
        );
    }
    let reference = optional(&input.reference);
    if reference
        .as_deref()
        .is_some_and(|r| r.chars().count() > 100)
    {
        errors.insert("reference".into(), "凭证号不超过 100 个字".into());
    }
    match paid_on {
        Some(paid_on) if errors.is_empty() => Ok(CheckedPayment {
            amount_fen: amount.flatten(),
            paid_on,
            method: input.method.clone(),
            reference,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Townships and the county pay (a village liaison does not).
fn require_payer(actor: &Actor) -> AppResult<()> {
    match access::require_editor(actor)? {
        Level::Village => Err(AppError::conflict(
            "payment_by_township",
            "救助资金由乡镇或县级发放登记",
        )),
        _ => Ok(()),
    }
}

async fn approved_roll(
    db: &impl ConnectionTrait,
    actor: &Actor,
    roll_id: Uuid,
) -> AppResult<roll::Model> {
    let r = roll_row(db, actor, roll_id).await?;
    if r.state != RollState::Approved.code() {
        return Err(AppError::conflict(
            "roll_not_approved",
            "名册经县级审批后才能发放",
        ));
    }
    Ok(r)
}

async fn paid_so_far(db: &impl ConnectionTrait, household_id: Uuid) -> AppResult<i64> {
    Ok(payment::Entity::find()
        .filter(payment::Column::HouseholdId.eq(household_id))
        .filter(payment::Column::VoidedAt.is_null())
        .all(db)
        .await?
        .iter()
        .map(|p| p.amount_fen)
        .sum())
}

async fn insert(
    txn: &DatabaseTransaction,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    h: &household::Model,
    amount_fen: i64,
    p: &CheckedPayment,
) -> AppResult<payment::Model> {
    let row = payment::ActiveModel {
        programme_id: Set(h.programme_id),
        roll_id: Set(h.roll_id),
        household_id: Set(h.id),
        amount_fen: Set(amount_fen),
        paid_on: Set(p.paid_on),
        method: Set(p.method.clone()),
        reference: Set(p.reference.clone()),
        ..platform::db::new_record(
            Uuid::now_v7(),
            h.region_code.clone(),
            Some(actor.user_id),
            now,
        )
    }
    .insert(txn)
    .await?;
    let entry = Entry::new(
        "disaster.relief.payment.record",
        KIND_PAYMENT,
        row.id,
        &row.region_code,
    )
    .summary(format!(
        "发放救助金：{} {} 元（{}）",
        h.head_name,
        fen_as_yuan(amount_fen),
        label_of(METHODS, &p.method)
    ))
    .after(
        &serde_json::json!({"household_id": h.id, "amount_fen": amount_fen,
            "paid_on": p.paid_on, "method": p.method, "reference": p.reference}),
    );
    audit::record(txn, actor, now, entry).await?;
    Ok(row)
}

/// 发放 to one household of an approved roll; blank amount pays what is left.
pub async fn pay_household(
    state: &AppState,
    actor: &Actor,
    household_id: Uuid,
    input: &PaymentInput,
) -> AppResult<Payment> {
    require_payer(actor)?;
    let h = household_row(&state.db, actor, household_id).await?;
    approved_roll(&state.db, actor, h.roll_id).await?;
    let p = check(input)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    // Read inside the transaction, so two payers do not both see the old total.
    let left = h.amount_fen - paid_so_far(&txn, h.id).await?;
    let amount = p.amount_fen.unwrap_or(left);
    if left <= 0 {
        return Err(AppError::conflict(
            "household_paid",
            format!("{}的救助金已全部发放", h.head_name),
        ));
    }
    if amount > left {
        return Err(AppError::field(
            "amount",
            format!(
                "超过应发余额 {} 元（核定 {} 元）",
                fen_as_yuan(left),
                fen_as_yuan(h.amount_fen)
            ),
        ));
    }
    let row = insert(&txn, actor, now, &h, amount, &p).await?;
    txn.commit().await?;
    Ok(to_payment(row, &h.head_name))
}

fn to_payment(m: payment::Model, head_name: &str) -> Payment {
    Payment {
        id: m.id,
        household_id: m.household_id,
        head_name: head_name.to_string(),
        amount_fen: m.amount_fen,
        paid_on: m.paid_on,
        method_label: label_of(METHODS, &m.method).to_string(),
        method: m.method,
        reference: m.reference,
    }
}

/// What a bulk payment did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RollPaid {
    pub households: i64,
    pub paid_fen: i64,
}

/// 整册发放: every household of an approved roll gets what is left, one date and method, all
/// in one transaction.
pub async fn pay_roll(
    state: &AppState,
    actor: &Actor,
    roll_id: Uuid,
    input: &PaymentInput,
) -> AppResult<RollPaid> {
    require_payer(actor)?;
    approved_roll(&state.db, actor, roll_id).await?;
    let p = check(&PaymentInput {
        amount: None,
        ..input.clone()
    })?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let households = household::Entity::find()
        .filter(household::Column::RollId.eq(roll_id))
        .filter(household::Column::VoidedAt.is_null())
        .order_by_asc(household::Column::CreatedAt)
        .all(&txn)
        .await?;
    let mut done = RollPaid {
        households: 0,
        paid_fen: 0,
    };
    for h in &households {
        let left = h.amount_fen - paid_so_far(&txn, h.id).await?;
        if left > 0 {
            insert(&txn, actor, now, h, left, &p).await?;
            done.households += 1;
            done.paid_fen += left;
        }
    }
    if done.households == 0 {
        return Err(AppError::conflict("roll_paid", "本名册的救助金已全部发放"));
    }
    txn.commit().await?;
    Ok(done)
}

/// The roll's payments, latest first.
pub async fn of_roll(state: &AppState, actor: &Actor, roll_id: Uuid) -> AppResult<Vec<Payment>> {
    roll_row(&state.db, actor, roll_id).await?;
    let rows = payment::Entity::find()
        .filter(payment::Column::RollId.eq(roll_id))
        .filter(payment::Column::VoidedAt.is_null())
        .order_by_desc(payment::Column::PaidOn)
        .order_by_desc(payment::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let names: std::collections::HashMap<Uuid, String> = household::Entity::find()
        .filter(household::Column::RollId.eq(roll_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|h| (h.id, h.head_name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|m| {
            let name = names.get(&m.household_id).cloned().unwrap_or_default();
            to_payment(m, &name)
        })
        .collect())
}

/// Paid totals and person-times (救助人次) by programme and township for payments dated in
/// `from..=to` inside `scope`, optionally of one programme. A household paid in instalments
/// counts once per programme. For the statistics module.
pub async fn paid_totals(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    programme: Option<Uuid>,
) -> AppResult<Vec<PaidTotal>> {
    let mut query = payment::Entity::find()
        .filter(scope.condition(payment::Column::RegionCode))
        .filter(payment::Column::VoidedAt.is_null())
        .filter(payment::Column::PaidOn.gte(from))
        .filter(payment::Column::PaidOn.lte(to));
    if let Some(p) = programme {
        query = query.filter(payment::Column::ProgrammeId.eq(p));
    }
    let payments = query.order_by_asc(payment::Column::PaidOn).all(db).await?;
    let ids: std::collections::BTreeSet<Uuid> = payments.iter().map(|p| p.household_id).collect();
    let mut sizes = std::collections::HashMap::new();
    for chunk in ids.into_iter().collect::<Vec<_>>().chunks(500) {
        for h in household::Entity::find()
            .filter(household::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            sizes.insert(h.id, h.size);
        }
    }
    let items: Vec<PaidItem> = payments
        .iter()
        .map(|p| PaidItem {
            programme_id: p.programme_id,
            township: township_of(&p.region_code),
            household_id: p.household_id,
            household_size: sizes.get(&p.household_id).copied().unwrap_or(0),
            amount_fen: p.amount_fen,
        })
        .collect();
    Ok(model::tally(&items))
}
