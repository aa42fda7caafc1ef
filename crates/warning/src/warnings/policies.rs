//! 叫应策略: per level, minutes to confirm and deliveries before escalating. A level without a
//! saved row uses local practice ([`Policy::default_for`]).

use chrono::{DateTime, Utc};
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, TransactionTrait};

use super::entity::policy::{self, Column, Entity};
use super::model::{Level, Policy};

pub async fn get(db: &impl ConnectionTrait, level: Level) -> AppResult<Policy> {
    Ok(Entity::find_by_id(i32::from(level.0))
        .one(db)
        .await?
        .map(|p| Policy {
            level: level.0,
            ack_minutes: p.ack_minutes,
            cycles: p.cycles,
        })
        .unwrap_or_else(|| Policy::default_for(level)))
}

pub async fn all(db: &impl ConnectionTrait) -> AppResult<Vec<Policy>> {
    let mut out = Vec::new();
    for level in Level::ALL {
        out.push(get(db, level).await?);
    }
    Ok(out)
}

/// Save one level's policy (county warning staff); applies to calls made from now on and to
/// the next deadline of calls already waiting.
pub async fn set(state: &AppState, actor: &Actor, policy: Policy) -> AppResult<Policy> {
    super::store::require_writer(actor)?;
    let level = Level::parse(i32::from(policy.level))
        .ok_or_else(|| AppError::field("level", "预警级别应为 1–4"))?;
    policy
        .validate()
        .map_err(|(field, m)| AppError::field(field, m))?;
    let now: DateTime<Utc> = state.now();
    let txn = state.db.begin().await?;
    Entity::insert(policy::ActiveModel {
        level: Set(i32::from(level.0)),
        ack_minutes: Set(policy.ack_minutes),
        cycles: Set(policy.cycles),
        updated_at: Set(Some(now)),
        updated_by: Set(Some(actor.user_id)),
    })
    .on_conflict(
        OnConflict::column(Column::Level)
            .update_columns([
                Column::AckMinutes,
                Column::Cycles,
                Column::UpdatedAt,
                Column::UpdatedBy,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let entry = Entry::new(
        "warning.policy",
        "warning_policy",
        level.0,
        &actor.region_code,
    )
    .summary(format!(
        "{}预警叫应策略：{} 分钟内确认，最多发送 {} 次",
        level.colour(),
        policy.ack_minutes,
        policy.cycles
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(policy)
}
