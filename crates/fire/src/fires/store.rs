//! Fire records' queries and changes, scoped and audited.
//! - Readers: FIRE_VIEW holders read the records inside their scope (a township, its own).
//! - Writers: county-level FIRE_EDIT holders update them; the grade follows the figures.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use platform::access::Actor;
use platform::audit::{self, Entry, Who};
use platform::clock::{format_local, local_midnight};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::{de_number, optional, parse_time, text_field};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{Column, Entity, Model};
use super::model::{FireGrade, fire_grade};
use crate::access::{require_reader, require_writer};

/// The audit entity kind of a fire record.
pub const KIND: &str = "fire_fire";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("fire.fire.open", "林火立档"),
    ("fire.fire.update", "更新林火信息"),
];

/// 森林火灾, as pages and the API show it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Fire {
    pub id: Uuid,
    pub region_code: String,
    pub township_name: String,
    pub hotspot_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub place: String,
    pub area_ha: f64,
    pub deaths: i32,
    pub injured: i32,
    pub grade: FireGrade,
    pub extinguished_at: Option<DateTime<Utc>>,
    pub note: String,
    pub version: i32,
}

impl Fire {
    pub fn grade_label(&self) -> &'static str {
        self.grade.label()
    }

    pub fn started_local(&self) -> String {
        format_local(self.started_at)
    }

    pub fn extinguished_local(&self) -> String {
        self.extinguished_at.map(format_local).unwrap_or_default()
    }

    fn from_model(m: Model, names: &HashMap<String, String>) -> Self {
        Self {
            township_name: names.get(&m.region_code).cloned().unwrap_or_default(),
            grade: FireGrade::parse(&m.grade).unwrap_or(FireGrade::Ordinary),
            id: m.id,
            region_code: m.region_code,
            hotspot_id: m.hotspot_id,
            started_at: m.started_at,
            place: m.place,
            area_ha: m.area_ha,
            deaths: m.deaths,
            injured: m.injured,
            extinguished_at: m.extinguished_at,
            note: m.note,
            version: m.version,
        }
    }
}

async fn decorate(db: &impl ConnectionTrait, models: Vec<Model>) -> AppResult<Vec<Fire>> {
    let codes = models.iter().map(|m| m.region_code.clone());
    let names = platform::regions::store::short_names(db, codes).await?;
    Ok(models
        .into_iter()
        .map(|m| Fire::from_model(m, &names))
        .collect())
}

/// What a new record starts from.
pub struct Opening {
    pub region_code: String,
    pub county_code: String,
    pub hotspot_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub place: String,
    pub area_ha: f64,
    pub deaths: i32,
    pub injured: i32,
    pub note: String,
    /// Why it was opened, for the trail (e.g. "卫星热点 2026-003 核查为林火").
    pub why: String,
}

/// Open a record inside the caller's transaction (the check that found the fire).
pub async fn open(
    db: &impl ConnectionTrait,
    who: Who<'_>,
    o: &Opening,
    now: DateTime<Utc>,
) -> AppResult<Uuid> {
    let grade = fire_grade(o.area_ha, o.deaths, o.injured);
    let m = Model {
        id: Uuid::now_v7(),
        region_code: o.region_code.clone(),
        version: 1,
        created_at: now,
        created_by: who.id,
        updated_at: now,
        updated_by: who.id,
        voided_at: None,
        void_reason: None,
        county_code: o.county_code.clone(),
        hotspot_id: o.hotspot_id,
        started_at: o.started_at,
        place: o.place.chars().take(200).collect(),
        area_ha: o.area_ha,
        deaths: o.deaths,
        injured: o.injured,
        grade: grade.code().to_string(),
        extinguished_at: None,
        note: o.note.clone(),
    }
    .into_active_model()
    .insert(db)
    .await?;
    let entry = Entry::new("fire.fire.open", KIND, m.id, &o.region_code).summary(format!(
        "{}，立档：{}",
        o.why,
        grade.label()
    ));
    audit::record(db, who, now, entry).await?;
    Ok(m.id)
}

/// The records in scope that started in a year (local), newest first.
pub async fn list(state: &AppState, actor: &Actor, year: i32) -> AppResult<Vec<Fire>> {
    require_reader(actor)?;
    let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::NotFound)?;
    let end = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or(AppError::NotFound)?;
    let rows = Entity::find()
        .filter(actor.scope().condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null())
        .filter(Column::StartedAt.gte(local_midnight(start)))
        .filter(Column::StartedAt.lt(local_midnight(end)))
        .order_by_desc(Column::StartedAt)
        .all(&state.db)
        .await?;
    decorate(&state.db, rows).await
}

pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Fire> {
    require_reader(actor)?;
    let m = Entity::find_by_id(id)
        .filter(actor.scope().condition(Column::RegionCode))
        .filter(Column::VoidedAt.is_null())
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(&state.db, vec![m]).await?.remove(0))
}

/// A record's figures as typed (numbers may come as text from forms or numbers from JSON).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct FireInput {
    pub place: Option<String>,
    /// 过火面积（公顷）.
    #[serde(default, deserialize_with = "de_number")]
    pub area_ha: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub deaths: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub injured: Option<String>,
    /// When it was put out (UTC+8 `2026-03-02T15:30`, or RFC 3339); blank while burning.
    pub extinguished_at: Option<String>,
    pub note: Option<String>,
    pub version: i32,
}

struct Figures {
    place: String,
    area_ha: f64,
    deaths: i32,
    injured: i32,
    extinguished_at: Option<DateTime<Utc>>,
    note: String,
}

/// Area burned (ha), deaths and seriously injured as typed (blank is 0), each checked by field
/// (`area_ha`, `deaths`, `injured`): the figures a fire is graded by.
pub(crate) fn burned(
    errors: &mut FieldErrors,
    area_ha: &Option<String>,
    deaths: &Option<String>,
    injured: &Option<String>,
) -> (f64, i32, i32) {
    let area = match optional(area_ha).map(|t| t.parse::<f64>()) {
        None => 0.0,
        Some(Ok(v)) if (0.0..1e7).contains(&v) => v,
        Some(_) => {
            errors.insert(
                "area_ha".into(),
                "过火面积应为不小于 0 的数字（公顷）".into(),
            );
            0.0
        }
    };
    (
        area,
        whole(errors, "deaths", deaths, "死亡人数"),
        whole(errors, "injured", injured, "重伤人数"),
    )
}

fn whole(errors: &mut FieldErrors, field: &str, text: &Option<String>, label: &str) -> i32 {
    match optional(text).map(|t| t.parse::<i32>()) {
        None => 0,
        Some(Ok(n)) if (0..100_000).contains(&n) => n,
        Some(_) => {
            errors.insert(field.into(), format!("{label}应为不小于 0 的整数"));
            0
        }
    }
}

fn check(
    input: &FireInput,
    started_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Figures, FieldErrors> {
    let mut errors = FieldErrors::new();
    let place = text_field(&mut errors, "place", &input.place, 200, "火场位置");
    if place.is_none() {
        errors.insert("place".into(), "请填写火场位置".into());
    }
    let (area_ha, deaths, injured) =
        burned(&mut errors, &input.area_ha, &input.deaths, &input.injured);
    let extinguished_at = match optional(&input.extinguished_at) {
        None => None,
        Some(t) => match parse_time(&t) {
            Some(at) if at < started_at => {
                errors.insert("extinguished_at".into(), "扑灭时间不能早于起火时间".into());
                None
            }
            Some(at) if at > now + Duration::minutes(5) => {
                errors.insert("extinguished_at".into(), "扑灭时间不能晚于现在".into());
                None
            }
            Some(at) => Some(at),
            None => {
                errors.insert(
                    "extinguished_at".into(),
                    "时间格式应为 2026-03-02 15:30".into(),
                );
                None
            }
        },
    };
    let note = text_field(&mut errors, "note", &input.note, 4000, "情况说明");
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Figures {
        place: place.unwrap_or_default(),
        area_ha,
        deaths,
        injured,
        extinguished_at,
        note: note.unwrap_or_default(),
    })
}

/// Update the figures (续报); the grade is recomputed, the before and after kept in the trail.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &FireInput,
) -> AppResult<Fire> {
    require_writer(actor)?;
    let before = get(state, actor, id).await?;
    let now = state.now();
    let f = check(input, before.started_at, now).map_err(AppError::Validation)?;
    let grade = fire_grade(f.area_ha, f.deaths, f.injured);
    let txn = state.db.begin().await?;
    let changes = Entity::update_many()
        .col_expr(Column::Place, Expr::value(f.place))
        .col_expr(Column::AreaHa, Expr::value(f.area_ha))
        .col_expr(Column::Deaths, Expr::value(f.deaths))
        .col_expr(Column::Injured, Expr::value(f.injured))
        .col_expr(Column::Grade, Expr::value(grade.code()))
        .col_expr(Column::ExtinguishedAt, Expr::value(f.extinguished_at))
        .col_expr(Column::Note, Expr::value(f.note));
    platform::db::versioned_update(&txn, changes, id, input.version, actor.user_id, now).await?;
    let after = decorate(
        &txn,
        vec![
            Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?,
        ],
    )
    .await?
    .remove(0);
    let entry = Entry::new("fire.fire.update", KIND, id, &after.region_code)
        .summary(format!(
            "{} 过火 {} 公顷，{}",
            after.place,
            after.area_ha,
            after.grade_label()
        ))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn figures_are_checked_by_field() {
        let started = at("2026-03-02T05:00:00Z");
        let now = at("2026-03-02T09:00:00Z");
        let input = FireInput {
            place: Some("金鼓村".into()),
            area_ha: Some("-1".into()),
            deaths: Some("x".into()),
            extinguished_at: Some("2026-03-02 12:00".into()),
            ..FireInput::default()
        };
        let errors = check(&input, started, now).err().unwrap();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, vec!["area_ha", "deaths", "extinguished_at"]);
        let fine = FireInput {
            place: Some("金鼓村".into()),
            area_ha: Some("12.5".into()),
            extinguished_at: Some("2026-03-02T15:30".into()),
            ..FireInput::default()
        };
        let f = check(&fine, started, now).unwrap();
        assert_eq!(f.area_ha, 12.5);
        assert_eq!(f.extinguished_at, Some(at("2026-03-02T07:30:00Z")));
    }
}
