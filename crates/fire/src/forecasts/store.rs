//! Forecast queries and changes. Every FIRE_VIEW holder reads the county's forecasts; the
//! county's fire editors enter them. One issue per county and day: entering a day again
//! replaces its levels, audited with before and after.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use platform::access::{Actor, Scope};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::Level as RegionLevel;
use platform::regions::store::Region;
use platform::web::AppState;
use platform::web::form::parse_date;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::forecast as entity;
use super::model::{self, Level};
use crate::access::{require_reader, require_writer};

pub const KIND_FORECAST: &str = "fire_forecast";

/// Names of this ledger's audit actions.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("fire.forecast.enter", "录入火险预报"),
    ("fire.forecast.replace", "重新录入火险预报"),
];

/// The townships of a county, in code order.
pub async fn townships(db: &impl ConnectionTrait, county: &str) -> AppResult<Vec<Region>> {
    platform::regions::store::list_level(db, &Scope::of(county), RegionLevel::Township).await
}

/// One township's level on a day.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct TownshipLevel {
    pub township: String,
    #[serde(default)]
    pub township_name: String,
    /// 1 低 (绿), 2 较低 (蓝), 3 较高 (黄), 4 高 (橙), 5 极高 (红).
    #[schema(value_type = u8)]
    pub level: Level,
}

impl TownshipLevel {
    pub fn label(&self) -> String {
        self.level.full_label()
    }

    pub fn tone(&self) -> &'static str {
        self.level.tone()
    }
}

/// A day's forecast issue.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Forecast {
    pub id: Uuid,
    pub day: NaiveDate,
    pub levels: Vec<TownshipLevel>,
    /// Townships per level, level 1 first.
    pub counts: [usize; 5],
    /// Townships at orange or red (codes).
    pub ban_townships: Vec<String>,
    pub version: i32,
}

impl Forecast {
    pub fn level_of(&self, township: &str) -> Option<Level> {
        self.levels
            .iter()
            .find(|l| l.township == township)
            .map(|l| l.level)
    }

    /// Townships at level `index + 1`.
    pub fn count(&self, index: &usize) -> usize {
        self.counts.get(*index).copied().unwrap_or(0)
    }

    pub fn high_danger(&self) -> usize {
        self.counts[2..].iter().sum()
    }
}

/// One day in the list.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ForecastDay {
    pub day: NaiveDate,
    pub counts: [usize; 5],
    pub max_level: u8,
    pub townships: usize,
}

impl ForecastDay {
    /// Townships at level `index + 1`.
    pub fn count(&self, index: &usize) -> usize {
        self.counts.get(*index).copied().unwrap_or(0)
    }

    pub fn max_tone(&self) -> &'static str {
        Level::from_number(self.max_level.into())
            .map(Level::tone)
            .unwrap_or("gray")
    }

    pub fn max_label(&self) -> String {
        Level::from_number(self.max_level.into())
            .map(Level::full_label)
            .unwrap_or_default()
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    township: String,
    level: Level,
}

fn parse_levels(json: &str) -> Vec<(String, Level)> {
    serde_json::from_str::<Vec<Stored>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|s| (s.township, s.level))
        .collect()
}

fn to_forecast(m: entity::Model, names: &HashMap<String, String>) -> Forecast {
    let pairs = parse_levels(&m.levels);
    let counts = model::counts(pairs.iter().map(|(_, l)| l));
    let ban_townships = model::ban_townships(pairs.iter().map(|(t, l)| (t.as_str(), *l)));
    Forecast {
        id: m.id,
        day: m.day,
        levels: pairs
            .into_iter()
            .map(|(township, level)| TownshipLevel {
                township_name: names.get(&township).cloned().unwrap_or_default(),
                township,
                level,
            })
            .collect(),
        counts,
        ban_townships,
        version: m.version,
    }
}

async fn stored(
    db: &impl ConnectionTrait,
    county: &str,
    day: NaiveDate,
) -> AppResult<Option<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::RegionCode.eq(county))
        .filter(entity::Column::Day.eq(day))
        .filter(entity::Column::VoidedAt.is_null())
        .one(db)
        .await?)
}

/// A county's forecast of a day, with township names. No permission check.
pub async fn of_day(
    db: &impl ConnectionTrait,
    county: &str,
    day: NaiveDate,
) -> AppResult<Option<Forecast>> {
    let Some(m) = stored(db, county, day).await? else {
        return Ok(None);
    };
    let codes: Vec<String> = parse_levels(&m.levels).into_iter().map(|p| p.0).collect();
    let names = platform::regions::store::short_names(db, codes).await?;
    Ok(Some(to_forecast(m, &names)))
}

/// The actor's county's forecast of a day (404 when none was entered).
pub async fn get(db: &impl ConnectionTrait, actor: &Actor, day: NaiveDate) -> AppResult<Forecast> {
    let county = require_reader(actor)?;
    of_day(db, &county, day).await?.ok_or(AppError::NotFound)
}

/// The days of a year with a forecast, latest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
) -> AppResult<Vec<ForecastDay>> {
    let county = require_reader(actor)?;
    let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::NotFound)?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(AppError::NotFound)?;
    Ok(entity::Entity::find()
        .filter(entity::Column::RegionCode.eq(&county))
        .filter(entity::Column::Day.between(from, to))
        .filter(entity::Column::VoidedAt.is_null())
        .order_by_desc(entity::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let pairs = parse_levels(&m.levels);
            ForecastDay {
                day: m.day,
                counts: model::counts(pairs.iter().map(|(_, l)| l)),
                max_level: m.max_level as u8,
                townships: pairs.len(),
            }
        })
        .collect())
}

/// One township's level as typed or sent: the township by code or name, the level as 1–5 or
/// its name or colour.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LevelInput {
    #[serde(default)]
    pub township: String,
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub level: Option<String>,
}

/// A day's forecast as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ForecastInput {
    /// 2026-03-15
    #[serde(default)]
    pub day: String,
    /// 全部乡镇同一等级: when given, every township of the county at this level (the list
    /// below then only changes single townships).
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub all_level: Option<String>,
    #[serde(default)]
    pub levels: Vec<LevelInput>,
}

/// A day's levels checked: the day, and (township, level) in township order.
pub struct Checked {
    pub day: NaiveDate,
    pub levels: Vec<(String, Level)>,
}

/// Find a township of the county by code, full name or short name.
pub fn township_named<'a>(townships: &'a [Region], text: &str) -> Option<&'a Region> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    townships
        .iter()
        .find(|r| r.code == t || r.name == t || r.short_name == t)
}

/// Check a day's forecast against the county's townships. Errors: `day`, `all_level`,
/// `levels` (nothing given) and `level.{township}` for a township's row.
pub fn check(input: &ForecastInput, townships: &[Region]) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let day = parse_date(input.day.trim());
    if day.is_none() {
        errors.insert("day".into(), "请填写预报日期，如 2026-03-15".into());
    }
    let mut chosen: BTreeMap<String, Level> = BTreeMap::new();
    if let Some(all) = input
        .all_level
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        match Level::parse(all) {
            Some(l) => {
                for t in townships {
                    chosen.insert(t.code.clone(), l);
                }
            }
            None => {
                errors.insert(
                    "all_level".into(),
                    "火险等级应为 1–5 或 低/较低/较高/高/极高".into(),
                );
            }
        }
    }
    for row in &input.levels {
        let text = row.level.as_deref().map(str::trim).unwrap_or_default();
        if text.is_empty() {
            continue;
        }
        let Some(t) = township_named(townships, &row.township) else {
            errors.insert(
                format!("level.{}", row.township.trim()),
                format!("「{}」不是本县的乡镇（街道）", row.township.trim()),
            );
            continue;
        };
        match Level::parse(text) {
            Some(l) => {
                chosen.insert(t.code.clone(), l);
            }
            None => {
                errors.insert(
                    format!("level.{}", t.code),
                    format!("{}：火险等级应为 1–5 或 低/较低/较高/高/极高", t.short_name),
                );
            }
        }
    }
    if chosen.is_empty() && errors.is_empty() {
        errors.insert("levels".into(), "请至少为一个乡镇选择火险等级".into());
    }
    match (day, errors.is_empty()) {
        (Some(day), true) => Ok(Checked {
            day,
            levels: chosen.into_iter().collect(),
        }),
        _ => Err(errors),
    }
}

/// 录入 a day's forecast for the actor's county (replacing the day's levels when entered
/// before).
pub async fn save(state: &AppState, actor: &Actor, input: &ForecastInput) -> AppResult<Forecast> {
    let county = require_writer(actor)?;
    let townships = townships(&state.db, &county).await?;
    let checked = check(input, &townships).map_err(AppError::Validation)?;
    let day = checked.day;
    write_all(state, actor, &county, vec![checked]).await?;
    of_day(&state.db, &county, day)
        .await?
        .ok_or(AppError::NotFound)
}

/// Write checked days in one transaction, each replacing what the day had. Returns how many
/// days were replaced.
pub async fn write_all(
    state: &AppState,
    actor: &Actor,
    county: &str,
    days: Vec<Checked>,
) -> AppResult<usize> {
    let now = state.now();
    let txn = state.db.begin().await?;
    let mut replaced = 0;
    let names: HashMap<String, String> = townships(&txn, county)
        .await?
        .into_iter()
        .map(|r| (r.code, r.short_name))
        .collect();
    for c in days {
        let max = c.levels.iter().map(|(_, l)| *l as i32).max().unwrap_or(0);
        let json = serde_json::to_string(
            &c.levels
                .iter()
                .map(|(t, l)| Stored {
                    township: t.clone(),
                    level: *l,
                })
                .collect::<Vec<_>>(),
        )
        .map_err(|e| AppError::Internal(e.into()))?;
        let before = stored(&txn, county, c.day).await?;
        let (id, action) = match &before {
            Some(m) => {
                use entity::Column;
                entity::Entity::update_many()
                    .col_expr(Column::Levels, Expr::value(json))
                    .col_expr(Column::MaxLevel, Expr::value(max))
                    .col_expr(Column::Version, Expr::col(Column::Version).add(1))
                    .col_expr(Column::UpdatedAt, Expr::value(now))
                    .col_expr(Column::UpdatedBy, Expr::value(Some(actor.user_id)))
                    .filter(Column::Id.eq(m.id))
                    .exec(&txn)
                    .await?;
                replaced += 1;
                (m.id, "fire.forecast.replace")
            }
            None => {
                let id = Uuid::now_v7();
                entity::ActiveModel {
                    day: Set(c.day),
                    levels: Set(json),
                    max_level: Set(max),
                    ..platform::db::new_record(id, county.to_string(), Some(actor.user_id), now)
                }
                .insert(&txn)
                .await?;
                (id, "fire.forecast.enter")
            }
        };
        let after = stored(&txn, county, c.day)
            .await?
            .map(|m| to_forecast(m, &names))
            .ok_or(AppError::NotFound)?;
        let counts = after
            .counts
            .iter()
            .zip(Level::ALL)
            .filter(|(n, _)| **n > 0)
            .map(|(n, l)| format!("{}{n}个", l.label()))
            .collect::<Vec<_>>()
            .join("，");
        let mut entry = Entry::new(action, KIND_FORECAST, id, county)
            .summary(format!("{}森林火险预报：{counts}", c.day))
            .after(&after.levels);
        if let Some(b) = before {
            entry = entry.before(&to_forecast(b, &names).levels);
        }
        audit::record(&txn, actor, now, entry).await?;
    }
    txn.commit().await?;
    Ok(replaced)
}

/// Today in China.
pub fn today(state: &AppState) -> NaiveDate {
    state
        .now()
        .with_timezone(&platform::clock::china())
        .date_naive()
}

/// This year in China.
pub fn this_year(state: &AppState) -> i32 {
    today(state).year()
}
