//! Checkpoints, check-ins and tours: queries and changes, scoped and audited.
//! - Checkpoints and tours belong to a township; FIRE_VIEW holders read those in their scope,
//!   FIRE_EDIT holders write them for townships in their scope (a county's staff for every
//!   township, a township's for its own).
//! - A scan is checked before anything is written: the token must name a checkpoint (else
//!   二维码无效), the checkpoint must be in use and in the scanner's county; the same person
//!   scanning the same checkpoint again within ten minutes is the same visit (no second row).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use platform::access::{Actor, Scope, perm};
use platform::audit::{self, Entry};
use platform::auth::entity::user;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::{Level as RegionLevel, county_of};
use platform::regions::store::Region;
use platform::web::AppState;
use platform::web::form::{optional, parse_date};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{checkin, checkpoint, tour};
use super::model::{self, Kind};

pub const KIND_CHECKPOINT: &str = "fire_checkpoint";
pub const KIND_CHECKIN: &str = "fire_checkin";
pub const KIND_TOUR: &str = "fire_tour";

/// Names of this ledger's audit actions.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("fire.checkpoint.create", "新增巡查点位"),
    ("fire.checkpoint.update", "修改巡查点位"),
    ("fire.checkpoint.void", "停用巡查点位"),
    ("fire.checkin.record", "扫码签到"),
    ("fire.tour.create", "分配包干巡查"),
    ("fire.tour.void", "作废包干巡查"),
];

// ---------------------------------------------------------------------------------------------
// Access

/// The townships the actor may see: those inside their scope.
pub async fn townships(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<Region>> {
    actor.require(perm::FIRE_VIEW)?;
    platform::regions::store::list_level(db, &actor.scope(), RegionLevel::Township).await
}

/// Writers: FIRE_EDIT holders, for townships inside their scope.
fn require_editor(actor: &Actor) -> AppResult<()> {
    actor.require(perm::FIRE_EDIT)
}

pub fn may_edit(actor: &Actor) -> bool {
    actor.can(perm::FIRE_EDIT)
}

/// Leaders scan with FIRE_VIEW, rangers and village liaisons with FIRE_PATROL.
fn require_scanner(actor: &Actor) -> AppResult<()> {
    if actor.can(perm::FIRE_VIEW) || actor.can(perm::FIRE_PATROL) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn township_of_input<'a>(
    townships: &'a [Region],
    text: &str,
    errors: &mut FieldErrors,
) -> Option<&'a Region> {
    let found = crate::forecasts::store::township_named(townships, text);
    if found.is_none() {
        errors.insert("township".into(), "请选择本辖区的乡镇（街道）".into());
    }
    found
}

/// Today in China.
pub fn today(state: &AppState) -> NaiveDate {
    china_day(state.now())
}

fn china_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&platform::clock::china()).date_naive()
}

fn china_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&platform::clock::china())
        .format("%H:%M")
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

/// A checkpoint as shown and sent.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Checkpoint {
    pub id: Uuid,
    pub township: String,
    pub township_name: String,
    pub name: String,
    pub kind: Kind,
    pub lon: f64,
    pub lat: f64,
    pub note: Option<String>,
    /// The link the QR code holds.
    pub link: String,
    pub voided: bool,
    pub void_reason: Option<String>,
    pub version: i32,
    /// After a save: the position is not inside the township's area (a warning only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

impl Checkpoint {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

/// The absolute link a checkpoint's QR code holds.
pub fn scan_link(state: &AppState, token: &str) -> String {
    format!(
        "{}/fire/scan/{token}",
        state.settings.public_url.trim_end_matches('/')
    )
}

fn to_checkpoint(
    state: &AppState,
    m: checkpoint::Model,
    names: &HashMap<String, String>,
) -> Checkpoint {
    Checkpoint {
        id: m.id,
        township_name: names.get(&m.region_code).cloned().unwrap_or_default(),
        link: scan_link(state, &m.token),
        township: m.region_code,
        name: m.name,
        kind: Kind::parse(&m.kind).unwrap_or(Kind::Patrol),
        lon: m.lon,
        lat: m.lat,
        note: m.note,
        voided: m.voided_at.is_some(),
        void_reason: m.void_reason,
        version: m.version,
        warning: None,
    }
}

async fn checkpoints_of(
    state: &AppState,
    rows: Vec<checkpoint::Model>,
) -> AppResult<Vec<Checkpoint>> {
    let names = platform::regions::store::short_names(
        &state.db,
        rows.iter().map(|r| r.region_code.clone()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|m| to_checkpoint(state, m, &names))
        .collect())
}

/// Filter of the checkpoint list and the QR sheet.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct CheckpointFilter {
    /// Township code; blank: all in scope.
    pub township: Option<String>,
    /// Include voided (停用) checkpoints.
    #[serde(default, deserialize_with = "platform::web::form::de_flag")]
    #[param(value_type = Option<bool>)]
    pub all: Option<bool>,
}

/// The checkpoints in the actor's scope, by township and name.
pub async fn list_checkpoints(
    state: &AppState,
    actor: &Actor,
    filter: &CheckpointFilter,
) -> AppResult<Vec<Checkpoint>> {
    actor.require(perm::FIRE_VIEW)?;
    let mut query =
        checkpoint::Entity::find().filter(actor.scope().condition(checkpoint::Column::RegionCode));
    if let Some(t) = optional(&filter.township) {
        query = query.filter(checkpoint::Column::RegionCode.eq(t));
    }
    if !filter.all.unwrap_or(false) {
        query = query.filter(checkpoint::Column::VoidedAt.is_null());
    }
    let rows = query
        .order_by_asc(checkpoint::Column::RegionCode)
        .order_by_asc(checkpoint::Column::Name)
        .all(&state.db)
        .await?;
    checkpoints_of(state, rows).await
}

async fn checkpoint_row(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> AppResult<checkpoint::Model> {
    checkpoint::Entity::find_by_id(id)
        .filter(scope.condition(checkpoint::Column::RegionCode))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get_checkpoint(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Checkpoint> {
    actor.require(perm::FIRE_VIEW)?;
    let m = checkpoint_row(&state.db, &actor.scope(), id).await?;
    Ok(checkpoints_of(state, vec![m]).await?.remove(0))
}

/// A checkpoint as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CheckpointInput {
    /// Township code or name.
    #[serde(default)]
    pub township: String,
    #[serde(default)]
    pub name: String,
    /// supervision (督导点) | patrol (巡护点)
    #[serde(default)]
    pub kind: String,
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub lon: Option<String>,
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub lat: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The version edited (required to change a checkpoint).
    #[serde(default)]
    pub version: Option<i32>,
}

struct CheckedPoint {
    township: String,
    name: String,
    kind: Kind,
    lon: f64,
    lat: f64,
    note: Option<String>,
}

fn check_checkpoint(
    input: &CheckpointInput,
    townships: &[Region],
) -> Result<CheckedPoint, FieldErrors> {
    let mut errors = FieldErrors::new();
    let township = township_of_input(townships, &input.township, &mut errors);
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.insert("name".into(), "请填写点位名称（100 字以内）".into());
    }
    let kind = Kind::parse(&input.kind);
    if kind.is_none() {
        errors.insert("kind".into(), "请选择类型：督导点或巡护点".into());
    }
    let position = model::check_position(input.lon.as_deref(), input.lat.as_deref(), &mut errors);
    match (township, kind, position, errors.is_empty()) {
        (Some(t), Some(kind), Some((lon, lat)), true) => Ok(CheckedPoint {
            township: t.code.clone(),
            name: name.to_string(),
            kind,
            lon,
            lat,
            note: optional(&input.note).map(|n| n.chars().take(500).collect()),
        }),
        _ => Err(errors),
    }
}

/// A warning when the township areas say the point lies elsewhere; none without areas.
pub async fn position_warning(
    db: &impl ConnectionTrait,
    actor: &Actor,
    township: &str,
    (lon, lat): (f64, f64),
) -> AppResult<Option<String>> {
    let county = county_of(township);
    if crate::areas::store::index_for(db, &county)
        .await?
        .is_empty()
    {
        return Ok(None);
    }
    let located = crate::areas::store::locate(db, actor, lon, lat).await?;
    if located.region_code.as_deref() == Some(township) {
        return Ok(None);
    }
    let place = match located.region_name {
        Some(name) => format!("按乡镇范围，该位置在{name}"),
        None => "按乡镇范围，该位置不在任何乡镇内".to_string(),
    };
    Ok(Some(format!(
        "{place}，不在所选乡镇内，请核对经纬度（乡镇范围为近似时可忽略）"
    )))
}

fn snapshot(m: &checkpoint::Model) -> serde_json::Value {
    serde_json::json!({"township": m.region_code, "name": m.name, "kind": m.kind,
        "lon": m.lon, "lat": m.lat, "note": m.note})
}

/// 新增 a checkpoint, with a fresh token for its QR code.
pub async fn create_checkpoint(
    state: &AppState,
    actor: &Actor,
    input: &CheckpointInput,
) -> AppResult<Checkpoint> {
    require_editor(actor)?;
    let townships = townships(&state.db, actor).await?;
    let c = check_checkpoint(input, &townships).map_err(AppError::Validation)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let row = checkpoint::ActiveModel {
        name: Set(c.name.clone()),
        kind: Set(c.kind.code().to_string()),
        lon: Set(c.lon),
        lat: Set(c.lat),
        note: Set(c.note.clone()),
        // 128 random bits: the QR link cannot be guessed from another checkpoint's.
        token: Set(platform::auth::password::random_token()[..32].to_string()),
        ..platform::db::new_record(Uuid::now_v7(), c.township.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let entry = Entry::new(
        "fire.checkpoint.create",
        KIND_CHECKPOINT,
        row.id,
        &row.region_code,
    )
    .summary(format!("新增{}：{}", c.kind.label(), c.name))
    .after(&snapshot(&row));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    let mut saved = get_checkpoint(state, actor, row.id).await?;
    saved.warning = position_warning(&state.db, actor, &c.township, (c.lon, c.lat)).await?;
    Ok(saved)
}

/// 修改 a checkpoint at the version the editor saw (its token, and so its QR code, stays).
pub async fn update_checkpoint(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &CheckpointInput,
) -> AppResult<Checkpoint> {
    require_editor(actor)?;
    let townships = townships(&state.db, actor).await?;
    let before = checkpoint_row(&state.db, &actor.scope(), id).await?;
    if before.voided_at.is_some() {
        return Err(AppError::conflict("checkpoint_voided", "该检查点已停用"));
    }
    let c = check_checkpoint(input, &townships).map_err(AppError::Validation)?;
    let version = input
        .version
        .ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重新修改"))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    use sea_orm::sea_query::Expr;
    let changes = checkpoint::Entity::update_many()
        .col_expr(
            checkpoint::Column::RegionCode,
            Expr::value(c.township.clone()),
        )
        .col_expr(checkpoint::Column::Name, Expr::value(c.name.clone()))
        .col_expr(checkpoint::Column::Kind, Expr::value(c.kind.code()))
        .col_expr(checkpoint::Column::Lon, Expr::value(c.lon))
        .col_expr(checkpoint::Column::Lat, Expr::value(c.lat))
        .col_expr(checkpoint::Column::Note, Expr::value(c.note.clone()));
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    let after = checkpoint_row(&txn, &Scope::of(Scope::ALL_CODE), id).await?;
    let entry = Entry::new(
        "fire.checkpoint.update",
        KIND_CHECKPOINT,
        id,
        &after.region_code,
    )
    .summary(format!("修改巡查点位：{}", after.name))
    .before(&snapshot(&before))
    .after(&snapshot(&after));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    let mut saved = get_checkpoint(state, actor, id).await?;
    saved.warning = position_warning(&state.db, actor, &c.township, (c.lon, c.lat)).await?;
    Ok(saved)
}

/// 停用 (void) a checkpoint with a reason: its QR code then answers 该检查点已停用.
pub async fn void_checkpoint(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    reason: &str,
) -> AppResult<Checkpoint> {
    require_editor(actor)?;
    let reason = platform::db::void_reason(reason)?;
    let before = checkpoint_row(&state.db, &actor.scope(), id).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<checkpoint::Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let entry = Entry::new(
        "fire.checkpoint.void",
        KIND_CHECKPOINT,
        id,
        &before.region_code,
    )
    .summary(format!("停用巡查点位：{}（{reason}）", before.name));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    get_checkpoint(state, actor, id).await
}

// ---------------------------------------------------------------------------------------------
// Scanning

/// The checkpoint a scanned token names, if the scanner may check in there.
pub async fn scanned(state: &AppState, actor: &Actor, token: &str) -> AppResult<Checkpoint> {
    require_scanner(actor)?;
    let invalid = || AppError::bad_request("qr_invalid", "二维码无效");
    // Tokens are 32 hex digits: anything else is not worth a query.
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let m = checkpoint::Entity::find()
        .filter(checkpoint::Column::Token.eq(token))
        .one(&state.db)
        .await?
        .ok_or_else(invalid)?;
    if county_of(&m.region_code) != county_of(&actor.region_code) {
        return Err(AppError::bad_request(
            "qr_other_county",
            "该二维码不属于本县",
        ));
    }
    if m.voided_at.is_some() {
        return Err(AppError::conflict("checkpoint_voided", "该检查点已停用"));
    }
    Ok(checkpoints_of(state, vec![m]).await?.remove(0))
}

/// Where the phone was, as the browser gave it (all optional: 未取得位置).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Position {
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub lon: Option<String>,
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub lat: Option<String>,
    /// Metres, as `navigator.geolocation` reports it.
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub accuracy: Option<String>,
}

impl Position {
    /// A usable fix, or none: a malformed position is dropped, never refused (the scan counts).
    fn fix(&self) -> Option<(f64, f64, Option<f64>)> {
        let number = |t: &Option<String>| t.as_deref().and_then(|t| t.trim().parse::<f64>().ok());
        let (lon, lat) = (number(&self.lon)?, number(&self.lat)?);
        let accuracy = number(&self.accuracy).filter(|a| a.is_finite() && *a >= 0.0);
        model::valid_fix(lon, lat).then_some((lon, lat, accuracy))
    }
}

/// One check-in as shown and sent.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CheckIn {
    pub id: Uuid,
    pub checkpoint_id: Uuid,
    pub checkpoint_name: String,
    pub township: String,
    pub township_name: String,
    pub user_id: Uuid,
    pub user_name: String,
    pub checked_at: DateTime<Utc>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub accuracy_m: Option<f64>,
    /// Metres from the checkpoint, when the position was given.
    pub distance_m: Option<f64>,
}

impl CheckIn {
    pub fn time(&self) -> String {
        platform::clock::format_local(self.checked_at)
    }

    pub fn distance(&self) -> String {
        match self.distance_m {
            Some(d) => format!("{d:.0} 米"),
            None => "未取得位置".to_string(),
        }
    }
}

/// The answer to a scan: recorded now, or the earlier check-in of the same visit.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ScanResult {
    pub recorded: bool,
    /// 签到成功 or 已签到（HH:MM）.
    pub message: String,
    pub checkin: CheckIn,
}

/// 扫码签到: record a check-in at the checkpoint the token names.
pub async fn check_in(
    state: &AppState,
    actor: &Actor,
    token: &str,
    position: &Position,
) -> AppResult<ScanResult> {
    let point = scanned(state, actor, token).await?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let last = checkin::Entity::find()
        .filter(checkin::Column::UserId.eq(actor.user_id))
        .filter(checkin::Column::CheckpointId.eq(point.id))
        .filter(checkin::Column::VoidedAt.is_null())
        .order_by_desc(checkin::Column::CheckedAt)
        .one(&txn)
        .await?;
    if let Some(last) = last.filter(|l| model::is_repeat(l.checked_at, now)) {
        txn.commit().await?;
        let message = format!("已签到（{}）", china_time(last.checked_at));
        let checkin = checkins_of(state, vec![last]).await?.remove(0);
        return Ok(ScanResult {
            recorded: false,
            message,
            checkin,
        });
    }
    let fix = position.fix();
    let row = checkin::ActiveModel {
        checkpoint_id: Set(point.id),
        user_id: Set(actor.user_id),
        checked_at: Set(now),
        day: Set(china_day(now)),
        lon: Set(fix.map(|f| f.0)),
        lat: Set(fix.map(|f| f.1)),
        accuracy_m: Set(fix.and_then(|f| f.2)),
        distance_m: Set(
            fix.map(|(lon, lat, _)| model::distance_m((lon, lat), (point.lon, point.lat)))
        ),
        ..platform::db::new_record(
            Uuid::now_v7(),
            point.township.clone(),
            Some(actor.user_id),
            now,
        )
    }
    .insert(&txn)
    .await?;
    let where_ = match row.distance_m {
        Some(d) => format!("距点位 {d:.0} 米"),
        None => "未取得位置".to_string(),
    };
    let entry = Entry::new(
        "fire.checkin.record",
        KIND_CHECKIN,
        row.id,
        &row.region_code,
    )
    .summary(format!(
        "{}扫码签到：{}（{where_}）",
        actor.display_name, point.name
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(ScanResult {
        recorded: true,
        message: format!("签到成功（{}）", china_time(now)),
        checkin: checkins_of(state, vec![row]).await?.remove(0),
    })
}

async fn checkins_of(state: &AppState, rows: Vec<checkin::Model>) -> AppResult<Vec<CheckIn>> {
    let point_ids: HashSet<Uuid> = rows.iter().map(|r| r.checkpoint_id).collect();
    let points: HashMap<Uuid, String> = checkpoint::Entity::find()
        .filter(checkpoint::Column::Id.is_in(point_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let users = platform::users::store::display_names(
        &state.db,
        rows.iter()
            .map(|r| r.user_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect(),
    )
    .await?;
    let names = platform::regions::store::short_names(
        &state.db,
        rows.iter().map(|r| r.region_code.clone()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CheckIn {
            id: r.id,
            checkpoint_id: r.checkpoint_id,
            checkpoint_name: points.get(&r.checkpoint_id).cloned().unwrap_or_default(),
            township_name: names.get(&r.region_code).cloned().unwrap_or_default(),
            township: r.region_code,
            user_id: r.user_id,
            user_name: users.get(&r.user_id).cloned().unwrap_or_default(),
            checked_at: r.checked_at,
            lon: r.lon,
            lat: r.lat,
            accuracy_m: r.accuracy_m,
            distance_m: r.distance_m,
        })
        .collect())
}

/// Filter of the check-in list.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct CheckInFilter {
    /// Township code.
    pub township: Option<String>,
    /// Username or part of the name.
    pub person: Option<String>,
    /// 2026-06-01
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Users whose username is `text` or whose name contains it.
async fn people_named(db: &impl ConnectionTrait, text: &str) -> AppResult<Vec<Uuid>> {
    Ok(user::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::Username.eq(text))
                .add(user::Column::DisplayName.contains(text)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

/// The check-ins in the actor's scope, latest first (at most 1,000).
pub async fn list_checkins(
    state: &AppState,
    actor: &Actor,
    filter: &CheckInFilter,
) -> AppResult<Vec<CheckIn>> {
    actor.require(perm::FIRE_VIEW)?;
    let mut query =
        checkin::Entity::find().filter(actor.scope().condition(checkin::Column::RegionCode));
    if let Some(t) = optional(&filter.township) {
        query = query.filter(checkin::Column::RegionCode.eq(t));
    }
    if let Some(p) = optional(&filter.person) {
        query = query.filter(checkin::Column::UserId.is_in(people_named(&state.db, &p).await?));
    }
    if let Some(d) = filter.from.as_deref().and_then(parse_date) {
        query = query.filter(checkin::Column::Day.gte(d));
    }
    if let Some(d) = filter.to.as_deref().and_then(parse_date) {
        query = query.filter(checkin::Column::Day.lte(d));
    }
    use sea_orm::QuerySelect;
    let rows = query
        .filter(checkin::Column::VoidedAt.is_null())
        .order_by_desc(checkin::Column::CheckedAt)
        .limit(1000)
        .all(&state.db)
        .await?;
    checkins_of(state, rows).await
}

pub const CHECKIN_HEADERS: [&str; 6] = ["时间", "乡镇", "点位", "签到人", "距点位", "定位精度"];

pub fn checkin_rows(checkins: &[CheckIn]) -> Vec<Vec<String>> {
    checkins
        .iter()
        .map(|c| {
            vec![
                c.time(),
                c.township_name.clone(),
                c.checkpoint_name.clone(),
                c.user_name.clone(),
                c.distance(),
                c.accuracy_m
                    .map(|a| format!("{a:.0} 米"))
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tours (分片包干)

/// A tour with its progress.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Tour {
    pub id: Uuid,
    pub township: String,
    pub township_name: String,
    pub user_id: Uuid,
    pub user_name: String,
    pub date_from: NaiveDate,
    pub date_to: NaiveDate,
    pub required: i32,
    /// Checkpoint ids; empty: any checkpoint of the township.
    pub checkpoints: Vec<Uuid>,
    pub note: Option<String>,
    pub scans: u64,
    pub done: bool,
    pub ended: bool,
}

impl Tour {
    /// 已完成 / 进行中 / 未完成.
    pub fn status(&self) -> (&'static str, &'static str) {
        match (self.done, self.ended) {
            (true, _) => ("已完成", "green"),
            (false, false) => ("进行中", "blue"),
            (false, true) => ("未完成", "red"),
        }
    }
}

/// A tour as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct TourInput {
    /// Township code or name.
    #[serde(default)]
    pub township: String,
    /// The person's username.
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub date_from: String,
    #[serde(default)]
    pub date_to: String,
    /// Visits required in the range (default 1).
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    #[schema(value_type = Option<String>)]
    pub required: Option<String>,
    /// Checkpoint ids of the township; empty: any of them.
    #[serde(default)]
    pub checkpoints: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// 分配 a tour: a person of the county to a township in scope, for a date range.
pub async fn create_tour(state: &AppState, actor: &Actor, input: &TourInput) -> AppResult<Tour> {
    require_editor(actor)?;
    let townships = townships(&state.db, actor).await?;
    let mut errors = FieldErrors::new();
    let township = township_of_input(&townships, &input.township, &mut errors).cloned();
    let person = user::Entity::find()
        .filter(user::Column::Username.eq(input.user.trim()))
        .one(&state.db)
        .await?
        .filter(|u| county_of(&u.region_code) == county_of(&actor.region_code));
    if person.is_none() {
        errors.insert("user".into(), "请填写本县人员的用户名".into());
    }
    let from = parse_date(&input.date_from);
    let to = parse_date(&input.date_to);
    if from.is_none() {
        errors.insert("date_from".into(), "请填写开始日期，如 2026-06-01".into());
    }
    match (from, to) {
        (_, None) => {
            errors.insert("date_to".into(), "请填写结束日期，如 2026-06-30".into());
        }
        (Some(f), Some(t)) if t < f => {
            errors.insert("date_to".into(), "结束日期不能早于开始日期".into());
        }
        _ => {}
    }
    let required = match optional(&input.required) {
        None => Some(1),
        Some(t) => t.parse::<i32>().ok().filter(|n| (1..=1000).contains(n)),
    };
    if required.is_none() {
        errors.insert("required".into(), "要求次数应为 1–1000 的整数".into());
    }
    let mut chosen = Vec::new();
    if let Some(t) = &township {
        let points: HashSet<Uuid> = checkpoint::Entity::find()
            .filter(checkpoint::Column::RegionCode.eq(&t.code))
            .filter(checkpoint::Column::VoidedAt.is_null())
            .all(&state.db)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        for text in input.checkpoints.iter().filter(|c| !c.trim().is_empty()) {
            match Uuid::parse_str(text.trim())
                .ok()
                .filter(|id| points.contains(id))
            {
                Some(id) => chosen.push(id),
                None => {
                    errors.insert("checkpoints".into(), "所选点位不属于该乡镇或已停用".into());
                }
            }
        }
    }
    let (Some(t), Some(person), Some(from), Some(to), Some(required), true) =
        (township, person, from, to, required, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let json = serde_json::to_string(&chosen).map_err(|e| AppError::Internal(e.into()))?;
    let now = state.now();
    let txn = state.db.begin().await?;
    let row = tour::ActiveModel {
        user_id: Set(person.id),
        date_from: Set(from),
        date_to: Set(to),
        required: Set(required),
        checkpoints: Set(json),
        note: Set(optional(&input.note)),
        ..platform::db::new_record(Uuid::now_v7(), t.code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let entry =
        Entry::new("fire.tour.create", KIND_TOUR, row.id, &row.region_code).summary(format!(
            "分配包干巡查：{} 负责{}，{from} 至 {to}，至少 {required} 次",
            person.display_name, t.short_name
        ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    let mut tours = tours_of(state, vec![row]).await?;
    Ok(tours.remove(0))
}

/// 作废 a tour with a reason.
pub async fn void_tour(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<()> {
    require_editor(actor)?;
    let reason = platform::db::void_reason(reason)?;
    let before = tour::Entity::find_by_id(id)
        .filter(actor.scope().condition(tour::Column::RegionCode))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<tour::Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let entry = Entry::new("fire.tour.void", KIND_TOUR, id, &before.region_code)
        .summary(format!("作废包干巡查（{reason}）"));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Filter of the tour list: tours overlapping the period.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct TourFilter {
    pub township: Option<String>,
    /// Username or part of the name.
    pub person: Option<String>,
    /// 2026-06-01; blank: 1 January of this year.
    pub from: Option<String>,
    /// Blank: 31 December of this year.
    pub to: Option<String>,
}

/// The period a filter asks for (this year when blank).
pub fn period(filter: &TourFilter, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let year = today.year();
    let from = filter
        .from
        .as_deref()
        .and_then(parse_date)
        .or_else(|| NaiveDate::from_ymd_opt(year, 1, 1))
        .unwrap_or(today);
    let to = filter
        .to
        .as_deref()
        .and_then(parse_date)
        .or_else(|| NaiveDate::from_ymd_opt(year, 12, 31))
        .unwrap_or(today);
    (from, to)
}

/// Tours with their scans counted: a scan counts for a tour when its person made it, on a day
/// of the tour's range, at a checkpoint of the tour (any of the township's when none chosen).
async fn tours_of(state: &AppState, rows: Vec<tour::Model>) -> AppResult<Vec<Tour>> {
    let (Some(first), Some(last)) = (
        rows.iter().map(|t| t.date_from).min(),
        rows.iter().map(|t| t.date_to).max(),
    ) else {
        return Ok(Vec::new());
    };
    let people: Vec<Uuid> = rows
        .iter()
        .map(|t| t.user_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let scans = checkin::Entity::find()
        .filter(checkin::Column::UserId.is_in(people.clone()))
        .filter(checkin::Column::Day.between(first, last))
        .filter(checkin::Column::VoidedAt.is_null())
        .all(&state.db)
        .await?;
    let users = platform::users::store::display_names(&state.db, people).await?;
    let names = platform::regions::store::short_names(
        &state.db,
        rows.iter().map(|r| r.region_code.clone()),
    )
    .await?;
    let today = today(state);
    Ok(rows
        .into_iter()
        .map(|t| {
            let chosen: Vec<Uuid> = serde_json::from_str(&t.checkpoints).unwrap_or_default();
            let count = scans
                .iter()
                .filter(|s| s.user_id == t.user_id && s.region_code == t.region_code)
                .filter(|s| (t.date_from..=t.date_to).contains(&s.day))
                .filter(|s| chosen.is_empty() || chosen.contains(&s.checkpoint_id))
                .count() as u64;
            Tour {
                id: t.id,
                township_name: names.get(&t.region_code).cloned().unwrap_or_default(),
                township: t.region_code,
                user_id: t.user_id,
                user_name: users.get(&t.user_id).cloned().unwrap_or_default(),
                date_from: t.date_from,
                date_to: t.date_to,
                required: t.required,
                checkpoints: chosen,
                note: t.note,
                scans: count,
                done: model::tour_done(count, t.required.max(0) as u64),
                ended: t.date_to < today,
            }
        })
        .collect())
}

/// The live tours in the actor's scope overlapping the period, earliest first.
pub async fn list_tours(
    state: &AppState,
    actor: &Actor,
    filter: &TourFilter,
) -> AppResult<Vec<Tour>> {
    actor.require(perm::FIRE_VIEW)?;
    let (from, to) = period(filter, today(state));
    let mut query = tour::Entity::find()
        .filter(actor.scope().condition(tour::Column::RegionCode))
        .filter(tour::Column::VoidedAt.is_null())
        .filter(tour::Column::DateFrom.lte(to))
        .filter(tour::Column::DateTo.gte(from));
    if let Some(t) = optional(&filter.township) {
        query = query.filter(tour::Column::RegionCode.eq(t));
    }
    if let Some(p) = optional(&filter.person) {
        query = query.filter(tour::Column::UserId.is_in(people_named(&state.db, &p).await?));
    }
    let rows = query
        .order_by_asc(tour::Column::DateFrom)
        .order_by_asc(tour::Column::RegionCode)
        .all(&state.db)
        .await?;
    tours_of(state, rows).await
}

/// One line of the rates: a person or a township.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RateRow {
    pub key: String,
    pub name: String,
    pub tours: u64,
    pub done: u64,
    /// 扫码督导率 in percent, one decimal; none without tours.
    pub rate: Option<f64>,
}

impl RateRow {
    pub fn rate_text(&self) -> String {
        self.rate
            .map(|r| format!("{r:.1}%"))
            .unwrap_or_else(|| "—".into())
    }
}

/// The scan rate over all tours, per person and per township.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Rates {
    pub overall: RateRow,
    pub by_person: Vec<RateRow>,
    pub by_township: Vec<RateRow>,
}

fn rate_rows<'a>(tours: impl Iterator<Item = (String, String, bool)> + 'a) -> Vec<RateRow> {
    let mut rows: BTreeMap<String, RateRow> = BTreeMap::new();
    for (key, name, done) in tours {
        let row = rows.entry(key.clone()).or_insert(RateRow {
            key,
            name,
            tours: 0,
            done: 0,
            rate: None,
        });
        row.tours += 1;
        row.done += u64::from(done);
    }
    rows.into_values()
        .map(|mut r| {
            r.rate = model::scan_rate(r.done, r.tours);
            r
        })
        .collect()
}

pub fn rates(tours: &[Tour]) -> Rates {
    let done = tours.iter().filter(|t| t.done).count() as u64;
    Rates {
        overall: RateRow {
            key: String::new(),
            name: "合计".into(),
            tours: tours.len() as u64,
            done,
            rate: model::scan_rate(done, tours.len() as u64),
        },
        by_person: rate_rows(
            tours
                .iter()
                .map(|t| (t.user_id.to_string(), t.user_name.clone(), t.done)),
        ),
        by_township: rate_rows(
            tours
                .iter()
                .map(|t| (t.township.clone(), t.township_name.clone(), t.done)),
        ),
    }
}

pub const TOUR_HEADERS: [&str; 7] = [
    "乡镇",
    "包干人",
    "开始日期",
    "结束日期",
    "要求次数",
    "已扫码",
    "状态",
];

pub fn tour_rows(tours: &[Tour]) -> Vec<Vec<String>> {
    tours
        .iter()
        .map(|t| {
            vec![
                t.township_name.clone(),
                t.user_name.clone(),
                t.date_from.to_string(),
                t.date_to.to_string(),
                t.required.to_string(),
                t.scans.to_string(),
                t.status().0.to_string(),
            ]
        })
        .collect()
}

pub const RATE_HEADERS: [&str; 4] = ["对象", "包干任务", "已完成", "扫码督导率"];

pub fn rate_sheet(rows: &[RateRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.tours.to_string(),
                r.done.to_string(),
                r.rate_text(),
            ]
        })
        .collect()
}
