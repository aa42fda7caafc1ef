//! Fire seasons: read by every FIRE_VIEW holder of the county (the defaults while none is set),
//! set by the county's fire editors (a township's staff do not), audited with before and after.

use chrono::{Datelike, NaiveDate};
use platform::access::Actor;
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::date_field;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity;
use super::model::{self, Season};
use crate::access::{county_of, require_reader, require_writer};

pub const KIND_SEASON: &str = "fire_season";

/// Names of this ledger's audit actions.
pub const ACTION_LABELS: &[(&str, &str)] = &[("fire.season.set", "设置防火期")];

impl From<entity::Model> for Season {
    fn from(m: entity::Model) -> Self {
        Self {
            year: m.year,
            fire_from: m.fire_from,
            fire_to: m.fire_to,
            high_from: m.high_from,
            high_to: m.high_to,
            configured: true,
            version: Some(m.version),
        }
    }
}

async fn stored(
    db: &impl ConnectionTrait,
    county: &str,
    year: i32,
) -> AppResult<Option<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::RegionCode.eq(county))
        .filter(entity::Column::Year.eq(year))
        .filter(entity::Column::VoidedAt.is_null())
        .one(db)
        .await?)
}

/// A county's season for a year: its own, or the defaults. No permission check.
pub async fn of_year(db: &impl ConnectionTrait, county: &str, year: i32) -> AppResult<Season> {
    Ok(stored(db, county, year)
        .await?
        .map(Season::from)
        .unwrap_or_else(|| model::defaults(year)))
}

/// The actor's county's season for a year.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, year: i32) -> AppResult<Season> {
    require_reader(actor)?;
    of_year(db, &county_of(&actor.region_code), year).await
}

/// The season as typed or sent (dates as 2026-01-01).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct SeasonInput {
    pub fire_from: Option<String>,
    pub fire_to: Option<String>,
    pub high_from: Option<String>,
    pub high_to: Option<String>,
    /// The version read, when the county has set the year before.
    pub version: Option<i32>,
}

impl SeasonInput {
    pub fn of(s: &Season) -> Self {
        Self {
            fire_from: Some(s.fire_from.to_string()),
            fire_to: Some(s.fire_to.to_string()),
            high_from: Some(s.high_from.to_string()),
            high_to: Some(s.high_to.to_string()),
            version: s.version,
        }
    }
}

fn checked(year: i32, input: &SeasonInput) -> AppResult<[NaiveDate; 4]> {
    let mut errors = FieldErrors::new();
    let mut required = |field: &str, value: &Option<String>| {
        let d = date_field(&mut errors, field, value);
        if d.is_none() && !errors.contains_key(field) {
            errors.insert(field.into(), "请填写日期".into());
        }
        d
    };
    let dates = (
        required("fire_from", &input.fire_from),
        required("fire_to", &input.fire_to),
        required("high_from", &input.high_from),
        required("high_to", &input.high_to),
    );
    let (Some(a), Some(b), Some(c), Some(d)) = dates else {
        return Err(AppError::Validation(errors));
    };
    model::check(year, a, b, c, d).map_err(AppError::Validation)?;
    Ok([a, b, c, d])
}

/// 设置 the season of a year for the actor's county (a first save stores it, later ones edit
/// it against the version read).
pub async fn save(
    state: &AppState,
    actor: &Actor,
    year: i32,
    input: &SeasonInput,
) -> AppResult<Season> {
    let county = require_writer(actor)?;
    set(state, actor, &county, year, input).await
}

/// The write itself, for [`save`] and the demo.
pub async fn set(
    state: &AppState,
    actor: &Actor,
    county: &str,
    year: i32,
    input: &SeasonInput,
) -> AppResult<Season> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field("year", "年度应在 2000–2100 之间"));
    }
    let [fire_from, fire_to, high_from, high_to] = checked(year, input)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let before = stored(&txn, county, year).await?;
    let id = match &before {
        None => {
            let id = Uuid::now_v7();
            entity::ActiveModel {
                year: Set(year),
                fire_from: Set(fire_from),
                fire_to: Set(fire_to),
                high_from: Set(high_from),
                high_to: Set(high_to),
                ..platform::db::new_record(id, county.to_string(), Some(actor.user_id), now)
            }
            .insert(&txn)
            .await?;
            id
        }
        Some(m) => {
            let version = input.version.unwrap_or(m.version);
            use entity::Column;
            platform::db::versioned_update(
                &txn,
                entity::Entity::update_many()
                    .col_expr(Column::FireFrom, Expr::value(fire_from))
                    .col_expr(Column::FireTo, Expr::value(fire_to))
                    .col_expr(Column::HighFrom, Expr::value(high_from))
                    .col_expr(Column::HighTo, Expr::value(high_to)),
                m.id,
                version,
                actor.user_id,
                now,
            )
            .await?;
            m.id
        }
    };
    let after: Season = stored(&txn, county, year)
        .await?
        .map(Season::from)
        .ok_or(AppError::NotFound)?;
    let mut entry = Entry::new("fire.season.set", KIND_SEASON, id, county)
        .summary(format!(
            "{year}年防火期 {} 至 {}，高火险期 {} 至 {}",
            after.fire_from, after.fire_to, after.high_from, after.high_to
        ))
        .after(&after);
    if let Some(b) = before {
        entry = entry.before(&Season::from(b));
    }
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// This year in China.
pub fn this_year(state: &AppState) -> i32 {
    state.now().with_timezone(&platform::clock::china()).year()
}
