//! Disaster processes: queries and changes, scoped to the county and audited.
//! - County disaster editors open, extend (add townships) and close a process; every
//!   DISASTER_VIEW holder of the county reads them (a township sees the processes that
//!   affect it).
//! - Opening a process opens its 初报 (due two hours after the start) for its townships;
//!   closing it stops 续报.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use platform::access::{Actor, Scope};
use platform::audit::{self, Entry};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::Level as RegionLevel;
use platform::regions::store::Region;
use platform::web::AppState;
use platform::web::form::{optional, parse_date, parse_time};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::process;
use super::model;
use crate::access::{require_county_writer, require_reader};
use crate::losses::model::Stage;

pub const KIND_PROCESS: &str = "disaster_process";

pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("disaster.process.create", "新建灾害过程"),
    ("disaster.process.townships", "增加受灾乡镇"),
    ("disaster.process.close", "结束灾害过程"),
];

/// A township named in a process.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Township {
    pub code: String,
    pub name: String,
}

/// A process as shown and sent.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Process {
    pub id: Uuid,
    pub county: String,
    pub name: String,
    pub main_type: String,
    pub main_type_label: String,
    pub category: String,
    pub other_types: Vec<String>,
    pub other_type_labels: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub closed: bool,
    pub townships: Vec<Township>,
    pub note: Option<String>,
    pub version: i32,
}

/// Which processes a list shows: begun in a range of days (UTC+8), touching a township, of a
/// sub-type. The statistics count with the same rule, so a figure and its list agree.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct ProcessFilter {
    /// First day the process may have begun on (YYYY-MM-DD).
    pub from: Option<String>,
    /// Last day the process may have begun on.
    pub to: Option<String>,
    /// A township's 12-digit code: processes that touched it.
    pub township: Option<String>,
    /// Main sub-type code (flood, drought, hail…).
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

impl ProcessFilter {
    pub fn admits(&self, p: &Process) -> bool {
        let day = platform::clock::local_day(p.started_at);
        let date = |text: &Option<String>| optional(text).as_deref().and_then(parse_date);
        date(&self.from).is_none_or(|from| day >= from)
            && date(&self.to).is_none_or(|to| day <= to)
            && optional(&self.township).is_none_or(|t| p.townships.iter().any(|x| x.code == t))
            && optional(&self.kind).is_none_or(|k| p.main_type == k)
    }

    /// Whether anything narrows the list (the page says so).
    pub fn is_set(&self) -> bool {
        [&self.from, &self.to, &self.township, &self.kind]
            .iter()
            .any(|f| optional(f).is_some())
    }
}

/// The processes the actor reads that the filter admits, latest first.
pub async fn filtered(
    state: &AppState,
    actor: &Actor,
    filter: &ProcessFilter,
) -> AppResult<Vec<Process>> {
    Ok(list(state, actor)
        .await?
        .into_iter()
        .filter(|p| filter.admits(p))
        .collect())
}

impl Process {
    pub fn started_local(&self) -> String {
        platform::clock::format_local(self.started_at)
    }

    pub fn ended_local(&self) -> String {
        self.ended_at
            .map(platform::clock::format_local)
            .unwrap_or_default()
    }

    pub fn township_names(&self) -> String {
        self.townships
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn type_text(&self) -> String {
        let mut text = format!("{}（{}）", self.main_type_label, self.category);
        if !self.other_type_labels.is_empty() {
            text.push_str(&format!("，并伴有{}", self.other_type_labels.join("、")));
        }
        text
    }

    pub fn has_township(&self, code: &str) -> bool {
        self.townships.iter().any(|t| t.code == code)
    }
}

pub fn split_codes(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub(crate) async fn to_processes(
    db: &impl ConnectionTrait,
    rows: Vec<process::Model>,
) -> AppResult<Vec<Process>> {
    let names: HashMap<String, String> = platform::regions::store::short_names(
        db,
        rows.iter().flat_map(|r| split_codes(&r.townships)),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let others = split_codes(&m.other_types);
            Process {
                id: m.id,
                county: m.region_code,
                main_type_label: model::type_label(&m.main_type).to_string(),
                category: model::category_of(&m.main_type).to_string(),
                other_type_labels: others
                    .iter()
                    .map(|c| model::type_label(c).to_string())
                    .collect(),
                other_types: others,
                main_type: m.main_type,
                name: m.name,
                started_at: m.started_at,
                closed: m.ended_at.is_some(),
                ended_at: m.ended_at,
                townships: split_codes(&m.townships)
                    .into_iter()
                    .map(|code| Township {
                        name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                        code,
                    })
                    .collect(),
                note: m.note,
                version: m.version,
            }
        })
        .collect())
}

/// The process rows the actor may read: their county's, and for a township only those
/// that affect it.
fn visible(actor: &Actor, m: &process::Model) -> bool {
    let scope = actor.scope();
    scope.contains(&m.region_code) || split_codes(&m.townships).iter().any(|t| scope.contains(t))
}

pub(crate) async fn row(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<process::Model> {
    let county = require_reader(actor)?;
    let m = process::Entity::find_by_id(id)
        .filter(process::Column::RegionCode.eq(county))
        .filter(process::Column::VoidedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !visible(actor, &m) {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

/// The processes of the actor's county (a township's: those affecting it), latest first.
pub async fn list(state: &AppState, actor: &Actor) -> AppResult<Vec<Process>> {
    let county = require_reader(actor)?;
    let rows: Vec<_> = process::Entity::find()
        .filter(process::Column::RegionCode.eq(county))
        .filter(process::Column::VoidedAt.is_null())
        .order_by_desc(process::Column::StartedAt)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|m| visible(actor, m))
        .collect();
    to_processes(&state.db, rows).await
}

pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Process> {
    let m = row(&state.db, actor, id).await?;
    Ok(to_processes(&state.db, vec![m]).await?.remove(0))
}

/// The county's townships, for choosing the affected ones.
pub async fn townships(db: &impl ConnectionTrait, county: &str) -> AppResult<Vec<Region>> {
    platform::regions::store::list_level(db, &Scope::of(county), RegionLevel::Township).await
}

/// A process as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ProcessInput {
    #[serde(default)]
    pub name: String,
    /// Main sub-type: code (flood, hail…) or Chinese name (洪涝, 风雹…).
    #[serde(default)]
    pub main_type: String,
    /// Other sub-types when several.
    #[serde(default)]
    pub other_types: Vec<String>,
    /// Start: RFC 3339, or `2026-06-27T08:00` in UTC+8.
    #[serde(default)]
    pub started_at: String,
    /// Affected townships' codes.
    #[serde(default)]
    pub townships: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

struct Checked {
    name: String,
    main_type: &'static str,
    other_types: Vec<&'static str>,
    started_at: DateTime<Utc>,
    townships: Vec<String>,
}

fn check_townships(
    typed: &[String],
    county_townships: &[Region],
    errors: &mut FieldErrors,
) -> Vec<String> {
    let mut codes = Vec::new();
    for t in typed.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        match county_townships
            .iter()
            .find(|r| r.code == t || r.short_name == t || r.name == t)
        {
            Some(r) if !codes.contains(&r.code) => codes.push(r.code.clone()),
            Some(_) => {}
            None => {
                errors.insert("townships".into(), format!("“{t}”不是本县的乡镇（街道）"));
            }
        }
    }
    codes
}

fn check(
    input: &ProcessInput,
    county_townships: &[Region],
    now: DateTime<Utc>,
) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert(
            "name".into(),
            "请填写灾害过程名称，如“6·27”洪涝灾害（100 字以内）".into(),
        );
    }
    let main_type = model::parse_type(&input.main_type);
    if main_type.is_none() {
        errors.insert("main_type".into(), "请选择主要灾种".into());
    }
    let mut other_types = Vec::new();
    for t in input.other_types.iter().filter(|t| !t.trim().is_empty()) {
        match model::parse_type(t) {
            Some(code) if Some(code) != main_type && !other_types.contains(&code) => {
                other_types.push(code)
            }
            Some(_) => {}
            None => {
                errors.insert("other_types".into(), format!("“{t}”不在国家灾种目录中"));
            }
        }
    }
    let started_at = parse_time(&input.started_at);
    match started_at {
        None => {
            errors.insert(
                "started_at".into(),
                "请填写开始时间，如 2026-06-27 08:00".into(),
            );
        }
        Some(at) if at > now => {
            errors.insert("started_at".into(), "开始时间不能晚于现在".into());
        }
        _ => {}
    }
    let townships = check_townships(&input.townships, county_townships, &mut errors);
    if townships.is_empty() && !errors.contains_key("townships") {
        errors.insert("townships".into(), "请至少选择一个受灾乡镇（街道）".into());
    }
    match (main_type, started_at, errors.is_empty()) {
        (Some(main_type), Some(started_at), true) => Ok(Checked {
            name: name.to_string(),
            main_type,
            other_types,
            started_at,
            townships,
        }),
        _ => Err(errors),
    }
}

fn snapshot(m: &process::Model) -> serde_json::Value {
    serde_json::json!({"name": m.name, "main_type": m.main_type, "other_types": m.other_types,
        "started_at": m.started_at, "ended_at": m.ended_at, "townships": m.townships})
}

/// 新建 a process and its 初报.
pub async fn create(state: &AppState, actor: &Actor, input: &ProcessInput) -> AppResult<Process> {
    let county = require_county_writer(actor)?;
    let now = state.now();
    let all = townships(&state.db, &county).await?;
    let c = check(input, &all, now).map_err(AppError::Validation)?;
    let txn = state.db.begin().await?;
    let row = process::ActiveModel {
        name: Set(c.name.clone()),
        main_type: Set(c.main_type.to_string()),
        other_types: Set(c.other_types.join(",")),
        started_at: Set(c.started_at),
        ended_at: Set(None),
        townships: Set(c.townships.join(",")),
        note: Set(optional(&input.note).map(|n| n.chars().take(1000).collect())),
        ..platform::db::new_record(Uuid::now_v7(), county.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let entry = Entry::new("disaster.process.create", KIND_PROCESS, row.id, &county)
        .summary(format!("新建灾害过程：{}", c.name))
        .after(&snapshot(&row));
    audit::record(&txn, actor, now, entry).await?;
    crate::losses::store::insert_report(&txn, actor, now, &row, Stage::Initial, None).await?;
    txn.commit().await?;
    get(state, actor, row.id).await
}

/// Townships to add, at the version seen.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct TownshipsInput {
    #[serde(default)]
    pub townships: Vec<String>,
    #[serde(default)]
    pub version: Option<i32>,
}

fn version_of(v: Option<i32>) -> AppResult<i32> {
    v.ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重新操作"))
}

/// The disaster spreads: add townships; the reports still being entered get their entries.
pub async fn add_townships(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &TownshipsInput,
) -> AppResult<Process> {
    let county = require_county_writer(actor)?;
    let before = row(&state.db, actor, id).await?;
    if before.ended_at.is_some() {
        return Err(AppError::conflict(
            "process_closed",
            "该灾害过程已结束，不能再增加受灾乡镇",
        ));
    }
    let all = townships(&state.db, &county).await?;
    let mut errors = FieldErrors::new();
    let added = check_townships(&input.townships, &all, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut codes = split_codes(&before.townships);
    let new: Vec<String> = added.into_iter().filter(|c| !codes.contains(c)).collect();
    if new.is_empty() {
        return Err(AppError::field(
            "townships",
            "请选择尚未列入的受灾乡镇（街道）",
        ));
    }
    codes.extend(new.iter().cloned());
    let version = version_of(input.version)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    use sea_orm::sea_query::Expr;
    let changes = process::Entity::update_many()
        .col_expr(process::Column::Townships, Expr::value(codes.join(",")));
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    crate::losses::store::add_entries_to_open_reports(&txn, actor, now, id, &new).await?;
    let entry = Entry::new("disaster.process.townships", KIND_PROCESS, id, &county)
        .summary(format!("{}：增加受灾乡镇 {}", before.name, new.join("、")))
        .before(&snapshot(&before))
        .after(&serde_json::json!({"townships": codes.join(",")}));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get(state, actor, id).await
}

/// Closing a process: its end time, at the version seen.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CloseInput {
    /// End: RFC 3339 or `2026-07-02T18:00` (UTC+8); blank: now.
    #[serde(default)]
    pub ended_at: Option<String>,
    #[serde(default)]
    pub version: Option<i32>,
}

/// 结束 a process: no more 续报 (the 核报 is still to come).
pub async fn close(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &CloseInput,
) -> AppResult<Process> {
    let county = require_county_writer(actor)?;
    let before = row(&state.db, actor, id).await?;
    if before.ended_at.is_some() {
        return Err(AppError::conflict("process_closed", "该灾害过程已经结束"));
    }
    let now = state.now();
    let ended_at = match optional(&input.ended_at) {
        None => now,
        Some(text) => parse_time(&text)
            .ok_or_else(|| AppError::field("ended_at", "结束时间格式应为 2026-07-02 18:00"))?,
    };
    if ended_at < before.started_at || ended_at > now {
        return Err(AppError::field(
            "ended_at",
            "结束时间应在开始时间之后、不晚于现在",
        ));
    }
    let version = version_of(input.version)?;
    let txn = state.db.begin().await?;
    use sea_orm::sea_query::Expr;
    let changes = process::Entity::update_many()
        .col_expr(process::Column::EndedAt, Expr::value(Some(ended_at)));
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    let entry = Entry::new("disaster.process.close", KIND_PROCESS, id, &county)
        .summary(format!("结束灾害过程：{}", before.name))
        .before(&snapshot(&before))
        .after(&serde_json::json!({"ended_at": ended_at}));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get(state, actor, id).await
}
