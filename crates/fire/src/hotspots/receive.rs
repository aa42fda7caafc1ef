//! Receiving hotspots: a FIRMS file (upload, command line, watched folder) in one transaction —
//! every detection inside the county matched to its township, merged into a recent hotspot
//! nearby or opened as a new one, each new township hotspot asked of that township's duty people
//! — and manual entry, assigning a township by hand, voiding.

use chrono::{DateTime, Datelike, Duration, Utc};
use platform::access::Actor;
use platform::audit::{self, Entry, Who};
use platform::calls;
use platform::clock::{china, format_local};
use platform::contacts;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::{county_of, township_of};
use platform::web::AppState;
use platform::web::form::{de_number, optional, parse_time, text_field};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::entity::{batch, detection, hotspot};
use super::firms::{self, Detection, RowError};
use super::model::{self, Rules, Stage};
use super::store::{Asked, Hotspot, KIND, decorate, find, get, rules_of};
use crate::access::require_writer;
use crate::areas::{Located, store::index_for};
// ---- Receiving ----

/// How a file came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Upload,
    CommandLine,
    Folder,
}

impl Channel {
    fn code(self) -> &'static str {
        match self {
            Self::Upload => "upload",
            Self::CommandLine => "cli",
            Self::Folder => "folder",
        }
    }
}

/// What receiving a file did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub batch_id: Uuid,
    pub file_name: String,
    /// Rows read (good and bad).
    pub rows_read: usize,
    /// New hotspots opened (numbers).
    pub new_hotspots: Vec<String>,
    /// Of those, inside the county but in no township area (to assign by hand).
    pub unassigned: usize,
    /// Detections added to a recent hotspot nearby.
    pub merged: usize,
    /// Detections already received (same satellite, time and place).
    pub duplicates: usize,
    /// Detections outside the county (normal: feeds cover a larger area).
    pub outside: usize,
    pub errors: Vec<RowError>,
}

/// What a new hotspot starts from: a FIRMS pixel or a manual entry.
struct Seen {
    layout: &'static str,
    satellite: String,
    confidence: String,
    brightness: Option<f64>,
    frp: Option<f64>,
    daynight: String,
    longitude: f64,
    latitude: f64,
    acquired_at: DateTime<Utc>,
}

impl From<&Detection> for Seen {
    fn from(d: &Detection) -> Self {
        Self {
            layout: d.layout.code(),
            satellite: d.satellite.clone(),
            confidence: d.confidence.clone(),
            brightness: d.brightness,
            frp: d.frp,
            daynight: d.daynight.clone(),
            longitude: d.longitude,
            latitude: d.latitude,
            acquired_at: d.acquired_at,
        }
    }
}

/// Receive a FIRMS file uploaded by a county fire editor.
pub async fn receive_upload(
    state: &AppState,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<Receipt> {
    let county = require_writer(actor)?;
    receive(
        state,
        actor.into(),
        &county,
        file_name,
        bytes,
        Channel::Upload,
    )
    .await
}

/// Receive a FIRMS file for `county`: the command line and the watched folder call this with
/// their own name for the trail.
pub async fn receive(
    state: &AppState,
    who: Who<'_>,
    county: &str,
    file_name: &str,
    bytes: &[u8],
    channel: Channel,
) -> AppResult<Receipt> {
    let parsed = firms::parse(bytes).map_err(|e| AppError::field("file", e.to_string()))?;
    if parsed.detections.is_empty() {
        return Err(AppError::field("file", no_rows_message(&parsed.errors)));
    }
    let sha256 = hex::encode(Sha256::digest(bytes));
    if let Some(earlier) = batch::Entity::find()
        .filter(batch::Column::RegionCode.eq(county))
        .filter(batch::Column::Sha256.eq(&sha256))
        .one(&state.db)
        .await?
    {
        return Err(AppError::conflict(
            "duplicate_file",
            format!(
                "该文件已于 {} 由 {} 导入，未重复导入",
                format_local(earlier.created_at),
                earlier.created_by_name
            ),
        ));
    }
    let index = index_for(&state.db, county).await?;
    let rules = rules_of(&state.db, county).await?;
    let now = state.now();
    let mut detections = parsed.detections;
    detections.sort_by_key(|d| d.acquired_at);

    let txn = state.db.begin().await?;
    let mut receipt = Receipt {
        batch_id: Uuid::now_v7(),
        file_name: file_name.to_string(),
        rows_read: detections.len() + parsed.errors.len(),
        new_hotspots: Vec::new(),
        unassigned: 0,
        merged: 0,
        duplicates: 0,
        outside: 0,
        errors: parsed.errors,
    };
    let earliest = detections[0].acquired_at;
    let mut recent = recent_hotspots(&txn, county, &rules, earliest).await?;
    for d in &detections {
        let township = match index.locate(d.longitude, d.latitude) {
            Located::Outside => {
                receipt.outside += 1;
                continue;
            }
            Located::CountyOnly => None,
            Located::Township(code) => Some(code),
        };
        if already_received(&txn, d).await? {
            receipt.duplicates += 1;
            continue;
        }
        let seen = Seen::from(d);
        let place = (d.longitude, d.latitude);
        let near = recent.iter_mut().find(|h| {
            model::same_hotspot(
                &rules,
                (h.longitude, h.latitude),
                h.last_detected_at,
                place,
                d.acquired_at,
            )
        });
        match near {
            Some(h) => {
                add_pixel(&txn, h, &seen, Some(receipt.batch_id), now).await?;
                receipt.merged += 1;
            }
            None => {
                let h = open(&txn, state, who, county, township, &seen, None, &rules, now).await?;
                add_detection(&txn, h.id, &seen, Some(receipt.batch_id)).await?;
                receipt.unassigned += usize::from(h.township_code.is_none());
                receipt.new_hotspots.push(h.number.clone());
                recent.push(h);
            }
        }
    }
    save_batch(&txn, &receipt, county, &sha256, who, channel, now).await?;
    let entry =
        Entry::new("fire.hotspot.receive", KIND, receipt.batch_id, county).summary(format!(
            "接收热点文件 {}：新热点 {} 个，合并 {}，重复 {}，县外 {}，错误 {} 行",
            file_name,
            receipt.new_hotspots.len(),
            receipt.merged,
            receipt.duplicates,
            receipt.outside,
            receipt.errors.len()
        ));
    audit::record(&txn, who, now, entry).await?;
    txn.commit().await?;
    Ok(receipt)
}

fn no_rows_message(errors: &[RowError]) -> String {
    let first: Vec<String> = errors
        .iter()
        .take(5)
        .map(|e| format!("第 {} 行：{}", e.row, e.message))
        .collect();
    if first.is_empty() {
        "文件中没有火点数据".to_string()
    } else {
        format!("文件中没有可读取的火点：{}", first.join("；"))
    }
}

/// The county's live hotspots a detection from `earliest` on could still merge into.
async fn recent_hotspots(
    db: &impl ConnectionTrait,
    county: &str,
    rules: &Rules,
    earliest: DateTime<Utc>,
) -> AppResult<Vec<hotspot::Model>> {
    let since = earliest - Duration::hours(rules.merge_hours as i64);
    Ok(hotspot::Entity::find()
        .filter(hotspot::Column::CountyCode.eq(county))
        .filter(hotspot::Column::VoidedAt.is_null())
        .filter(hotspot::Column::LastDetectedAt.gte(since))
        .all(db)
        .await?)
}

async fn already_received(db: &impl ConnectionTrait, d: &Detection) -> AppResult<bool> {
    use detection::Column;
    Ok(detection::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Satellite.eq(&d.satellite))
        .filter(Column::AcquiredAt.eq(d.acquired_at))
        .filter(Column::Longitude.eq(d.longitude))
        .filter(Column::Latitude.eq(d.latitude))
        .into_tuple::<Uuid>()
        .one(db)
        .await?
        .is_some())
}

async fn add_detection(
    db: &impl ConnectionTrait,
    hotspot_id: Uuid,
    seen: &Seen,
    batch_id: Option<Uuid>,
) -> AppResult<()> {
    detection::Model {
        id: Uuid::now_v7(),
        hotspot_id,
        batch_id,
        layout: seen.layout.to_string(),
        satellite: seen.satellite.clone(),
        acquired_at: seen.acquired_at,
        longitude: seen.longitude,
        latitude: seen.latitude,
        confidence: seen.confidence.clone(),
        brightness: seen.brightness,
        frp: seen.frp,
        daynight: seen.daynight.clone(),
    }
    .into_active_model()
    .insert(db)
    .await?;
    Ok(())
}

/// One more pixel of a known hotspot.
async fn add_pixel(
    db: &impl ConnectionTrait,
    h: &mut hotspot::Model,
    seen: &Seen,
    batch_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    add_detection(db, h.id, seen, batch_id).await?;
    h.pixels += 1;
    h.last_detected_at = std::cmp::max(h.last_detected_at, seen.acquired_at);
    hotspot::Entity::update_many()
        .col_expr(
            hotspot::Column::Pixels,
            Expr::col(hotspot::Column::Pixels).add(1),
        )
        .col_expr(
            hotspot::Column::LastDetectedAt,
            Expr::value(h.last_detected_at),
        )
        .col_expr(hotspot::Column::UpdatedAt, Expr::value(now))
        .filter(hotspot::Column::Id.eq(h.id))
        .exec(db)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn save_batch(
    db: &impl ConnectionTrait,
    r: &Receipt,
    county: &str,
    sha256: &str,
    who: Who<'_>,
    channel: Channel,
    now: DateTime<Utc>,
) -> AppResult<()> {
    batch::Model {
        id: r.batch_id,
        region_code: county.to_string(),
        source: channel.code().to_string(),
        file_name: r.file_name.chars().take(200).collect(),
        sha256: sha256.to_string(),
        rows_read: r.rows_read as i32,
        new_hotspots: r.new_hotspots.len() as i32,
        merged: r.merged as i32,
        duplicates: r.duplicates as i32,
        outside: r.outside as i32,
        errors: serde_json::to_string(&r.errors).map_err(anyhow::Error::from)?,
        created_at: now,
        created_by: who.id,
        created_by_name: who.name.chars().take(60).collect(),
    }
    .into_active_model()
    .insert(db)
    .await?;
    Ok(())
}

/// Open a hotspot, numbered in the county's year, and ask its township when there is one.
#[allow(clippy::too_many_arguments)]
async fn open(
    txn: &impl ConnectionTrait,
    state: &AppState,
    who: Who<'_>,
    county: &str,
    township: Option<String>,
    seen: &Seen,
    note: Option<String>,
    rules: &Rules,
    now: DateTime<Utc>,
) -> AppResult<hotspot::Model> {
    let year = now.with_timezone(&china()).year();
    let seq = platform::db::sequence::next(txn, county, KIND, year).await?;
    let m = hotspot::Model {
        id: Uuid::now_v7(),
        region_code: township.clone().unwrap_or_else(|| county.to_string()),
        version: 1,
        created_at: now,
        created_by: who.id,
        updated_at: now,
        updated_by: who.id,
        voided_at: None,
        void_reason: None,
        county_code: county.to_string(),
        year,
        seq,
        number: format!("{year}-{seq:03}"),
        source: seen.layout.to_string(),
        satellite: seen.satellite.clone(),
        confidence: seen.confidence.clone(),
        frp: seen.frp,
        longitude: seen.longitude,
        latitude: seen.latitude,
        pixels: 1,
        detected_at: seen.acquired_at,
        last_detected_at: seen.acquired_at,
        township_code: township,
        asked_at: None,
        due_at: None,
        asked: 0,
        note,
        answered_at: None,
        answered_by_name: None,
        verdict: None,
        place: None,
        measures: None,
        answer_longitude: None,
        answer_latitude: None,
        fire_id: None,
    }
    .into_active_model()
    .insert(txn)
    .await?;
    match m.township_code.clone() {
        Some(code) => ask(txn, state, who, m, &code, rules, now).await,
        None => Ok(m),
    }
}

/// Send a hotspot down to its township: the deadline starts now.
async fn ask(
    txn: &impl ConnectionTrait,
    state: &AppState,
    who: Who<'_>,
    mut m: hotspot::Model,
    township: &str,
    rules: &Rules,
    now: DateTime<Utc>,
) -> AppResult<hotspot::Model> {
    let people = contacts::store::township_on_call(txn, township).await?;
    m.asked_at = Some(now);
    m.due_at = Some(now + Duration::minutes(rules.deadline_minutes as i64));
    m.asked = people.len() as i32;
    let mut a = m.clone().into_active_model();
    a.asked_at = Set(m.asked_at);
    a.due_at = Set(m.due_at);
    a.asked = Set(m.asked);
    a.region_code = Set(township.to_string());
    a.township_code = Set(Some(township.to_string()));
    let m = a.update(txn).await?;
    let asked = Asked::new(decorate(txn, vec![m.clone()], now).await?.remove(0));
    calls::fan_out(txn, state, who.id, &asked, &people, now).await?;
    Ok(m)
}

// ---- Manual entry, assigning, voiding ----

/// A hotspot sent down by the provincial system, typed in.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EntryInput {
    #[serde(default, deserialize_with = "de_number")]
    pub longitude: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub latitude: Option<String>,
    /// When the satellite saw it (UTC+8 `2026-03-02T13:12`, or RFC 3339).
    pub detected_at: Option<String>,
    pub satellite: Option<String>,
    /// The township, when the point is in none of the areas (or to correct it).
    pub township: Option<String>,
    /// The provincial system's number and remarks.
    pub note: Option<String>,
}

fn coordinate(
    errors: &mut FieldErrors,
    field: &str,
    text: &Option<String>,
    range: (f64, f64),
) -> f64 {
    match optional(text).and_then(|t| t.parse::<f64>().ok()) {
        Some(v) if (range.0..=range.1).contains(&v) => v,
        _ => {
            let label = if field == "longitude" {
                "经度"
            } else {
                "纬度"
            };
            errors.insert(
                field.into(),
                format!("请填写{label}（{} 到 {} 之间的小数）", range.0, range.1),
            );
            0.0
        }
    }
}

/// 录入卫星热点: located like a FIRMS pixel; refused outside the county.
pub async fn enter(state: &AppState, actor: &Actor, input: &EntryInput) -> AppResult<Hotspot> {
    let county = require_writer(actor)?;
    let mut errors = FieldErrors::new();
    // China lies within these; a swapped pair is caught by the township check.
    let longitude = coordinate(&mut errors, "longitude", &input.longitude, (73.0, 136.0));
    let latitude = coordinate(&mut errors, "latitude", &input.latitude, (3.0, 54.0));
    let detected_at = optional(&input.detected_at).and_then(|t| parse_time(&t));
    if detected_at.is_none() {
        errors.insert(
            "detected_at".into(),
            "请填写监测时间，如 2026-03-02 13:12".into(),
        );
    }
    let note = text_field(&mut errors, "note", &input.note, 500, "备注");
    let chosen = optional(&input.township);
    if let Some(code) = &chosen
        && !is_township_of(&state.db, &county, code).await?
    {
        errors.insert("township".into(), "请选择本县的乡镇".into());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let detected_at = detected_at.unwrap_or_default();
    let now = state.now();
    if detected_at > now + Duration::minutes(5) {
        return Err(AppError::field("detected_at", "监测时间不能晚于现在"));
    }
    let located = index_for(&state.db, &county)
        .await?
        .locate(longitude, latitude);
    let township = match (chosen, located) {
        (_, Located::Outside) => {
            return Err(AppError::field(
                "longitude",
                "该位置不在本县范围内，请核对经纬度",
            ));
        }
        (Some(code), _) => Some(code),
        (None, Located::Township(code)) => Some(code),
        (None, Located::CountyOnly) => None,
    };
    let seen = Seen {
        layout: "manual",
        satellite: optional(&input.satellite)
            .unwrap_or_default()
            .chars()
            .take(20)
            .collect(),
        confidence: String::new(),
        brightness: None,
        frp: None,
        daynight: String::new(),
        longitude,
        latitude,
        acquired_at: detected_at,
    };
    let rules = rules_of(&state.db, &county).await?;
    let txn = state.db.begin().await?;
    let m = open(
        &txn,
        state,
        actor.into(),
        &county,
        township,
        &seen,
        note,
        &rules,
        now,
    )
    .await?;
    add_detection(&txn, m.id, &seen, None).await?;
    let spot = decorate(&txn, vec![m], now).await?.remove(0);
    let entry = Entry::new("fire.hotspot.enter", KIND, spot.id, &county)
        .summary(format!("录入{}（{}）", spot.title(), spot.place_label()))
        .after(&spot);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(spot)
}

/// Whether `code` is a township (or street) of the county on record.
async fn is_township_of(db: &impl ConnectionTrait, county: &str, code: &str) -> AppResult<bool> {
    if county_of(code) != county || township_of(code) != code || code == county {
        return Ok(false);
    }
    Ok(platform::regions::store::find(db, code).await?.is_some())
}

/// Send a hotspot in no township area to the township the county chose.
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    township: &str,
) -> AppResult<Hotspot> {
    let county = require_writer(actor)?;
    let before = get(state, actor, id).await?;
    if before.stage != Stage::Unassigned {
        return Err(AppError::conflict(
            "already_assigned",
            "该热点已指派乡镇或已反馈，无需再指派",
        ));
    }
    if !is_township_of(&state.db, &county, township).await? {
        return Err(AppError::field("township", "请选择本县的乡镇"));
    }
    let now = state.now();
    let rules = rules_of(&state.db, &county).await?;
    let txn = state.db.begin().await?;
    let m = hotspot::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let m = ask(&txn, state, actor.into(), m, township, &rules, now).await?;
    let after = decorate(&txn, vec![m], now).await?.remove(0);
    let entry = Entry::new("fire.hotspot.assign", KIND, id, &county).summary(format!(
        "{} 指派 {} 核查",
        after.title(),
        after.township_name
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 作废: entered twice or sent down by mistake; the people asked are no longer chased.
pub async fn void(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<Hotspot> {
    let county = require_writer(actor)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", "请填写作废原因"));
    }
    let before = get(state, actor, id).await?;
    if before.stage == Stage::Voided {
        return Err(AppError::conflict("voided", "该热点已作废"));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<hotspot::Entity>(&txn, id, reason, actor.user_id, now).await?;
    calls::close_pending(&txn, id).await?;
    let entry = Entry::new("fire.hotspot.void", KIND, id, &county)
        .summary(format!("作废{}：{reason}", before.title()));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    find(&state.db, id, now).await
}
