//! A county's report schedule: read by every FIRE_VIEW holder of the county (the defaults until
//! set), set by the county's fire editors, audited with before and after.

use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::schedule::{self, Column, Entity};
use super::model::{self, Schedule, SlotSpec};
use crate::access::{county_of, require_reader, require_writer};

pub const KIND_SCHEDULE: &str = "fire_report_schedule";

impl From<schedule::Model> for Schedule {
    fn from(m: schedule::Model) -> Self {
        Self {
            slots: serde_json::from_str(&m.slots).unwrap_or_else(|_| model::defaults().slots),
            grace_minutes: m.grace_minutes,
            configured: true,
            version: Some(m.version),
        }
    }
}

async fn stored(db: &impl ConnectionTrait, county: &str) -> AppResult<Option<schedule::Model>> {
    Ok(Entity::find()
        .filter(Column::RegionCode.eq(county))
        .filter(Column::VoidedAt.is_null())
        .one(db)
        .await?)
}

/// A county's schedule: its own, or the defaults. No permission check.
pub async fn of_county(db: &impl ConnectionTrait, county: &str) -> AppResult<Schedule> {
    Ok(stored(db, county)
        .await?
        .map(Schedule::from)
        .unwrap_or_else(model::defaults))
}

/// Every county's own schedule, for the job (the rest keep the defaults).
pub async fn all_stored(
    db: &impl ConnectionTrait,
) -> AppResult<std::collections::HashMap<String, Schedule>> {
    Ok(Entity::find()
        .filter(Column::VoidedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.region_code.clone(), Schedule::from(m)))
        .collect())
}

/// The actor's county's schedule.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Schedule> {
    require_reader(actor)?;
    of_county(db, &county_of(&actor.region_code)).await
}

/// One report time as sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct SlotInput {
    /// `HH:MM`, county time.
    pub time: String,
    /// 早报/午报/晚报 by the hour when left out.
    pub name: Option<String>,
}

/// The schedule as sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ScheduleInput {
    pub slots: Vec<SlotInput>,
    /// Minutes after a slot before a missing report is chased and counted late (default 30).
    pub grace_minutes: Option<i32>,
    /// The version read, when the county has set its schedule before.
    pub version: Option<i32>,
}

fn checked(input: &ScheduleInput) -> AppResult<(Vec<SlotSpec>, i32)> {
    let grace = input.grace_minutes.unwrap_or(model::DEFAULT_GRACE_MINUTES);
    let slots: Vec<(String, Option<String>)> = input
        .slots
        .iter()
        .map(|s| (s.time.clone(), s.name.clone()))
        .collect();
    let slots = model::check(&slots, grace).map_err(AppError::Validation)?;
    Ok((slots, grace))
}

/// 设置 the county's report schedule (a first save stores it, later ones edit it against the
/// version read).
pub async fn save(state: &AppState, actor: &Actor, input: &ScheduleInput) -> AppResult<Schedule> {
    let county = require_writer(actor)?;
    let (slots, grace) = checked(input)?;
    let json = serde_json::to_string(&slots).map_err(anyhow::Error::from)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let before = stored(&txn, &county).await?;
    let id = match &before {
        None => {
            let id = Uuid::now_v7();
            schedule::ActiveModel {
                slots: Set(json),
                grace_minutes: Set(grace),
                ..platform::db::new_record(id, county.clone(), Some(actor.user_id), now)
            }
            .insert(&txn)
            .await?;
            id
        }
        Some(m) => {
            platform::db::versioned_update(
                &txn,
                Entity::update_many()
                    .col_expr(Column::Slots, Expr::value(json))
                    .col_expr(Column::GraceMinutes, Expr::value(grace)),
                m.id,
                input.version.unwrap_or(m.version),
                actor.user_id,
                now,
            )
            .await?;
            m.id
        }
    };
    let after: Schedule = stored(&txn, &county)
        .await?
        .map(Schedule::from)
        .ok_or(AppError::NotFound)?;
    let mut entry = Entry::new("fire.report.schedule", KIND_SCHEDULE, id, &county)
        .summary(format!(
            "防火报告时间 {}，宽限 {} 分钟",
            after.describe(),
            after.grace_minutes
        ))
        .after(&after);
    if let Some(b) = before {
        entry = entry.before(&Schedule::from(b));
    }
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}
