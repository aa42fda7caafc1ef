//! Hotspots' queries and changes, scoped and audited.
//! - Receiving: a county-level FIRE_EDIT holder uploads a FIRMS file (or the command line, or
//!   the watched folder, receives it for a county). In one transaction: every detection inside
//!   the county is matched to its township, merged into a recent hotspot nearby or opened as a
//!   new one, and each new township hotspot asks that township's duty people to check it.
//! - Readers: FIRE_VIEW holders read the hotspots inside their scope (a township's staff, the
//!   ones sent to their township).
//! - Answering: the person asked, through the link in their message (no login) or in the app;
//!   the first answer settles the hotspot and stops the chase of the others.
//!
//! Asking, chasing and escalating are the platform's 叫应 (`platform::calls`); [`Asked`] is how a
//! hotspot reads there.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use platform::access::{Actor, perm};
use platform::attachments::{self, Attachment, Owner, Upload};
use platform::audit::{self, Entry, Who};
use platform::calls::model::Chase;
use platform::calls::{self, Says, Subject, Via, entity::Model as Call};
use platform::clock::{china, format_local, local_day, local_midnight};
use platform::contacts::{self, entity::Model as Contact, role};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::model::{county_of, township_of};
use platform::web::AppState;
use platform::web::form::{de_number, optional, parse_time, text_field};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::entity::{batch, detection, hotspot, rules};
use super::firms::{self, Detection, RowError};
use super::model::{self, Rules, Stage, Verdict};
use crate::access::{is_writer, require_reader, require_writer};
use crate::areas::{Located, store::index_for};
use crate::fires;

/// The subject kind of a hotspot's calls, and its audit entity kind.
pub const KIND: &str = "fire_hotspot";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("fire.hotspot.receive", "接收卫星热点文件"),
    ("fire.hotspot.enter", "录入卫星热点"),
    ("fire.hotspot.assign", "指派热点核查乡镇"),
    ("fire.hotspot.answer", "反馈热点核查结果"),
    ("fire.hotspot.escalate", "热点超时未反馈升级"),
    ("fire.hotspot.void", "作废卫星热点"),
    ("fire.hotspot.rules", "设置热点核查规则"),
];

/// 卫星热点, as pages and the API show it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Hotspot {
    pub id: Uuid,
    pub number: String,
    pub county_code: String,
    pub township_code: Option<String>,
    pub township_name: String,
    /// modis | viirs | manual
    pub source: String,
    pub satellite: String,
    pub confidence: String,
    pub frp: Option<f64>,
    pub longitude: f64,
    pub latitude: f64,
    pub pixels: i32,
    pub detected_at: DateTime<Utc>,
    pub last_detected_at: DateTime<Utc>,
    pub asked_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    /// People asked to check it.
    pub asked: i32,
    pub note: Option<String>,
    pub stage: Stage,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_by_name: Option<String>,
    pub verdict: Option<Verdict>,
    pub place: Option<String>,
    pub measures: Option<String>,
    pub answer_longitude: Option<f64>,
    pub answer_latitude: Option<f64>,
    pub fire_id: Option<Uuid>,
    /// 3 or more pixels: reported upward at once.
    pub report_at_once: bool,
    pub void_reason: Option<String>,
    pub version: i32,
}

impl Hotspot {
    pub fn title(&self) -> String {
        format!("卫星热点 {}", self.number)
    }

    pub fn source_label(&self) -> &'static str {
        match self.source.as_str() {
            "modis" => "MODIS",
            "viirs" => "VIIRS",
            _ => "人工录入",
        }
    }

    pub fn stage_label(&self) -> &'static str {
        self.stage.label()
    }

    pub fn tone(&self) -> &'static str {
        self.stage.tone()
    }

    pub fn verdict_label(&self) -> &'static str {
        self.verdict.map_or("", Verdict::label)
    }

    pub fn detected_local(&self) -> String {
        format_local(self.detected_at)
    }

    pub fn due_local(&self) -> String {
        self.due_at.map(format_local).unwrap_or_default()
    }

    pub fn answered_local(&self) -> String {
        self.answered_at.map(format_local).unwrap_or_default()
    }

    pub fn place_label(&self) -> String {
        match self.township_code {
            Some(_) => self.township_name.clone(),
            None => "县内（未匹配乡镇）".to_string(),
        }
    }

    pub fn coordinates(&self) -> String {
        format!("{:.4}, {:.4}", self.longitude, self.latitude)
    }

    fn from_model(m: hotspot::Model, names: &HashMap<String, String>, now: DateTime<Utc>) -> Self {
        let stage = model::stage(
            m.township_code.as_deref(),
            m.due_at,
            m.answered_at,
            m.voided_at.is_some(),
            now,
        );
        Self {
            township_name: m
                .township_code
                .as_ref()
                .and_then(|c| names.get(c).cloned())
                .unwrap_or_default(),
            verdict: m.verdict.as_deref().and_then(Verdict::parse),
            report_at_once: m.pixels >= model::REPORT_AT_ONCE_PIXELS,
            stage,
            id: m.id,
            number: m.number,
            county_code: m.county_code,
            township_code: m.township_code,
            source: m.source,
            satellite: m.satellite,
            confidence: m.confidence,
            frp: m.frp,
            longitude: m.longitude,
            latitude: m.latitude,
            pixels: m.pixels,
            detected_at: m.detected_at,
            last_detected_at: m.last_detected_at,
            asked_at: m.asked_at,
            due_at: m.due_at,
            asked: m.asked,
            note: m.note,
            answered_at: m.answered_at,
            answered_by_name: m.answered_by_name,
            place: m.place,
            measures: m.measures,
            answer_longitude: m.answer_longitude,
            answer_latitude: m.answer_latitude,
            fire_id: m.fire_id,
            void_reason: m.void_reason,
            version: m.version,
        }
    }
}

async fn decorate(
    db: &impl ConnectionTrait,
    models: Vec<hotspot::Model>,
    now: DateTime<Utc>,
) -> AppResult<Vec<Hotspot>> {
    let codes = models.iter().filter_map(|m| m.township_code.clone());
    let names = platform::regions::store::short_names(db, codes).await?;
    Ok(models
        .into_iter()
        .map(|m| Hotspot::from_model(m, &names, now))
        .collect())
}

/// One hotspot by id (no scope check: callers hold a token, a call or a checked id).
async fn find(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> AppResult<Hotspot> {
    let m = hotspot::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(db, vec![m], now).await?.remove(0))
}

/// A hotspot being asked about, as the 叫应 machinery reads it.
pub struct Asked {
    pub spot: Hotspot,
    title: String,
}

impl Asked {
    pub fn new(spot: Hotspot) -> Self {
        Self {
            title: format!("{}{}", spot.township_name, spot.title()),
            spot,
        }
    }

    fn deadline_minutes(&self) -> i32 {
        match (self.spot.asked_at, self.spot.due_at) {
            (Some(asked), Some(due)) => (due - asked).num_minutes() as i32,
            _ => Rules::default().deadline_minutes,
        }
    }
}

impl Subject for Asked {
    fn kind(&self) -> &'static str {
        KIND
    }

    fn id(&self) -> Uuid {
        self.spot.id
    }

    fn region_code(&self) -> &str {
        self.spot
            .township_code
            .as_deref()
            .unwrap_or(&self.spot.county_code)
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn page(&self) -> String {
        format!("/fire/hotspots/{}", self.spot.id)
    }

    fn link(&self, token: &str) -> String {
        format!("/fire/hotspots/answer/{token}")
    }

    fn in_force(&self, _now: DateTime<Utc>) -> bool {
        self.spot.answered_at.is_none() && self.spot.stage != Stage::Voided
    }

    fn ended_message(&self) -> &'static str {
        "该热点已反馈核查结果或已作废，无需再反馈"
    }

    fn chase(&self) -> Chase {
        // Asked again halfway, escalated when the deadline passes.
        Chase {
            ack_minutes: model::chase_minutes(self.deadline_minutes()),
            cycles: 2,
        }
    }

    fn asking(&self, delivery: i32) -> Says {
        let s = &self.spot;
        let again = if delivery > 1 {
            format!("（第 {delivery} 次提醒）")
        } else {
            String::new()
        };
        let urgent = if s.report_at_once {
            "（3 个像元以上，须立即上报）"
        } else {
            ""
        };
        Says {
            title: format!(
                "卫星热点核查：{}{}{urgent}{again}",
                s.township_name, s.number
            ),
            body: format!(
                "{} 卫星监测到热点（经度 {:.4}，纬度 {:.4}，{} 个像元）。请立即组织人员到现场核查，并在 {} 前点击链接反馈核查结果（类型、照片、位置、处置措施）。",
                s.detected_local(),
                s.longitude,
                s.latitude,
                s.pixels,
                s.due_local()
            ),
        }
    }

    fn escalating(&self, about: &str) -> Says {
        Says {
            title: format!("热点核查升级：{about} 未反馈热点 {}", self.spot.number),
            body: format!(
                "{about} 在时限内未反馈卫星热点 {}（{}，经度 {:.4}，纬度 {:.4}）的核查结果。请立即督促核查反馈，并点击链接确认已知悉。",
                self.spot.number, self.spot.township_name, self.spot.longitude, self.spot.latitude
            ),
        }
    }

    fn escalation_notice(&self) -> Says {
        Says {
            title: format!("热点核查升级：{}", self.spot.number),
            body: "该热点超时未反馈核查结果，已通知上一级负责人督促。".to_string(),
        }
    }

    fn actions(&self) -> (&'static str, &'static str) {
        ("fire.hotspot.answer", "fire.hotspot.escalate")
    }
}

/// The hotspots' loader for the platform's chasing job.
pub fn load<'a>(state: &'a AppState, id: Uuid) -> calls::LoadFuture<'a> {
    Box::pin(async move {
        match find(&state.db, id, state.now()).await {
            Ok(h) => Ok(Some(Box::new(Asked::new(h)) as Box<dyn Subject>)),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    })
}

// ---- Rules ----

/// The county's hotspot rules (the defaults until set).
pub async fn rules_of(db: &impl ConnectionTrait, county: &str) -> AppResult<Rules> {
    Ok(live_rules(db, county)
        .await?
        .map_or_else(Rules::default, |m| Rules {
            deadline_minutes: m.deadline_minutes,
            merge_metres: m.merge_metres,
            merge_hours: m.merge_hours,
        }))
}

async fn live_rules(db: &impl ConnectionTrait, county: &str) -> AppResult<Option<rules::Model>> {
    Ok(rules::Entity::find()
        .filter(rules::Column::RegionCode.eq(county))
        .filter(rules::Column::VoidedAt.is_null())
        .one(db)
        .await?)
}

/// The reader's county rules.
pub async fn rules(state: &AppState, actor: &Actor) -> AppResult<Rules> {
    let county = require_reader(actor)?;
    rules_of(&state.db, &county).await
}

/// Set the county's rules (they apply to hotspots received from now on).
pub async fn set_rules(state: &AppState, actor: &Actor, input: &Rules) -> AppResult<Rules> {
    let county = require_writer(actor)?;
    let errors: FieldErrors = model::check_rules(input)
        .into_iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let before = rules_of(&txn, &county).await?;
    match live_rules(&txn, &county).await? {
        Some(m) => {
            let version = m.version;
            let mut a = m.into_active_model();
            a.deadline_minutes = Set(input.deadline_minutes);
            a.merge_metres = Set(input.merge_metres);
            a.merge_hours = Set(input.merge_hours);
            a.version = Set(version + 1);
            a.updated_at = Set(now);
            a.updated_by = Set(Some(actor.user_id));
            a.update(&txn).await?;
        }
        None => {
            rules::Model {
                id: Uuid::now_v7(),
                region_code: county.clone(),
                version: 1,
                created_at: now,
                created_by: Some(actor.user_id),
                updated_at: now,
                updated_by: Some(actor.user_id),
                voided_at: None,
                void_reason: None,
                deadline_minutes: input.deadline_minutes,
                merge_metres: input.merge_metres,
                merge_hours: input.merge_hours,
            }
            .into_active_model()
            .insert(&txn)
            .await?;
        }
    }
    let entry = Entry::new("fire.hotspot.rules", KIND, Uuid::nil(), &county)
        .summary(format!(
            "反馈时限 {} 分钟，{} 米 / {} 小时内的热点合并",
            input.deadline_minutes, input.merge_metres, input.merge_hours
        ))
        .before(&before)
        .after(input);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(*input)
}

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

/// Who checks a township's hotspots: its duty people, its head when none is registered.
async fn township_people(db: &impl ConnectionTrait, township: &str) -> AppResult<Vec<Contact>> {
    let people = contacts::store::in_regions(
        db,
        &[township.to_string()],
        &[role::TOWNSHIP_DUTY, role::TOWNSHIP_HEAD],
    )
    .await?;
    let at_township: Vec<Contact> = people
        .into_iter()
        .filter(|c| c.region_code == township)
        .collect();
    let duty: Vec<Contact> = at_township
        .iter()
        .filter(|c| c.role == role::TOWNSHIP_DUTY)
        .cloned()
        .collect();
    Ok(if duty.is_empty() { at_township } else { duty })
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
    let people = township_people(txn, township).await?;
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

// ---- Reading ----

/// Filters of the hotspot list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListFilter {
    /// First day (YYYY-MM-DD, local); default 7 days ago.
    pub from: Option<String>,
    /// Last day; default today.
    pub to: Option<String>,
    pub township: Option<String>,
}

/// The hotspots inside the reader's scope first detected in the filter's days, newest first.
pub async fn list(state: &AppState, actor: &Actor, filter: &ListFilter) -> AppResult<Vec<Hotspot>> {
    require_reader(actor)?;
    let now = state.now();
    let today = local_day(now);
    let day = |text: &Option<String>, default| {
        optional(text)
            .and_then(|t| platform::web::form::parse_date(&t))
            .unwrap_or(default)
    };
    let from = day(&filter.from, today - Duration::days(6));
    let to = day(&filter.to, today);
    let start = local_midnight(from);
    let end = local_midnight(to + Duration::days(1));
    let mut query = hotspot::Entity::find()
        .filter(actor.scope().condition(hotspot::Column::RegionCode))
        .filter(hotspot::Column::DetectedAt.gte(start))
        .filter(hotspot::Column::DetectedAt.lt(end));
    if let Some(t) = optional(&filter.township) {
        query = query.filter(hotspot::Column::TownshipCode.eq(t));
    }
    let rows = query
        .order_by_desc(hotspot::Column::DetectedAt)
        .order_by_desc(hotspot::Column::Seq)
        .limit(2000)
        .all(&state.db)
        .await?;
    decorate(&state.db, rows, now).await
}

pub async fn get(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Hotspot> {
    require_reader(actor)?;
    let m = hotspot::Entity::find_by_id(id)
        .filter(actor.scope().condition(hotspot::Column::RegionCode))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(&state.db, vec![m], state.now()).await?.remove(0))
}

/// A pixel of a hotspot, for its page.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Pixel {
    pub layout: String,
    pub satellite: String,
    pub acquired_at: DateTime<Utc>,
    pub longitude: f64,
    pub latitude: f64,
    pub confidence: String,
    pub brightness: Option<f64>,
    pub frp: Option<f64>,
    pub daynight: String,
}

impl Pixel {
    pub fn acquired_local(&self) -> String {
        format_local(self.acquired_at)
    }
}

/// A hotspot with its pixels, photos and calls.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Detail {
    pub hotspot: Hotspot,
    pub pixels: Vec<Pixel>,
    pub photos: Vec<Attachment>,
    pub calls: Vec<calls::CallRow>,
}

pub async fn detail(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<Detail> {
    let hotspot = get(state, actor, id).await?;
    let pixels = detection::Entity::find()
        .filter(detection::Column::HotspotId.eq(id))
        .order_by_asc(detection::Column::AcquiredAt)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|d| Pixel {
            layout: d.layout,
            satellite: d.satellite,
            acquired_at: d.acquired_at,
            longitude: d.longitude,
            latitude: d.latitude,
            confidence: d.confidence,
            brightness: d.brightness,
            frp: d.frp,
            daynight: d.daynight,
        })
        .collect();
    let photos = attachments::list_for(&state.db, &actor.scope(), KIND, id).await?;
    let calls = calls::of_subject(&state.db, id).await?;
    Ok(Detail {
        hotspot,
        pixels,
        photos,
        calls,
    })
}

/// Files received, newest first.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Batch {
    pub id: Uuid,
    pub file_name: String,
    pub source: String,
    pub rows_read: i32,
    pub new_hotspots: i32,
    pub merged: i32,
    pub duplicates: i32,
    pub outside: i32,
    pub errors: Vec<RowError>,
    pub created_at: DateTime<Utc>,
    pub created_by_name: String,
}

impl Batch {
    pub fn created_local(&self) -> String {
        format_local(self.created_at)
    }

    pub fn source_label(&self) -> &'static str {
        match self.source.as_str() {
            "upload" => "页面上传",
            "cli" => "命令行",
            _ => "监视目录",
        }
    }
}

pub async fn batches(state: &AppState, actor: &Actor, limit: u64) -> AppResult<Vec<Batch>> {
    let county = require_reader(actor)?;
    Ok(batch::Entity::find()
        .filter(batch::Column::RegionCode.eq(county))
        .order_by_desc(batch::Column::CreatedAt)
        .limit(limit)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|b| Batch {
            id: b.id,
            errors: serde_json::from_str(&b.errors).unwrap_or_default(),
            file_name: b.file_name,
            source: b.source,
            rows_read: b.rows_read,
            new_hotspots: b.new_hotspots,
            merged: b.merged,
            duplicates: b.duplicates,
            outside: b.outside,
            created_at: b.created_at,
            created_by_name: b.created_by_name,
        })
        .collect())
}

/// Whether the actor may receive, enter, assign and void hotspots.
pub fn may_edit(actor: &Actor) -> bool {
    is_writer(actor)
}

// ---- Answering ----

/// 核查反馈: what the township found. Numbers may come as text (forms) or numbers (JSON).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AnswerInput {
    /// forest | farming | industrial | land_clearing | other | false_alarm
    pub verdict: Option<String>,
    /// 具体位置 (village, landmark).
    pub place: Option<String>,
    /// 处置措施.
    pub measures: Option<String>,
    /// 林火: hectares burned so far.
    #[serde(default, deserialize_with = "de_number")]
    pub area_ha: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub deaths: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub injured: Option<String>,
    /// Where the person stood (browser geolocation), optional.
    #[serde(default, deserialize_with = "de_number")]
    pub longitude: Option<String>,
    #[serde(default, deserialize_with = "de_number")]
    pub latitude: Option<String>,
}

/// An answer that passed its checks.
#[derive(Clone, Debug, Serialize)]
struct Checked {
    verdict: Verdict,
    verdict_label: &'static str,
    place: Option<String>,
    measures: Option<String>,
    area_ha: f64,
    deaths: i32,
    injured: i32,
    longitude: Option<f64>,
    latitude: Option<f64>,
}

fn count_field(errors: &mut FieldErrors, field: &str, text: &Option<String>, label: &str) -> i32 {
    match optional(text) {
        None => 0,
        Some(t) => match t.parse::<i32>() {
            Ok(n) if (0..100_000).contains(&n) => n,
            _ => {
                errors.insert(field.into(), format!("{label}应为不小于 0 的整数"));
                0
            }
        },
    }
}

fn check_answer(input: &AnswerInput) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let verdict = optional(&input.verdict).and_then(|v| Verdict::parse(&v));
    if verdict.is_none() {
        errors.insert("verdict".into(), "请选择核查结果类型".into());
    }
    let place = text_field(&mut errors, "place", &input.place, 200, "具体位置");
    let measures = text_field(&mut errors, "measures", &input.measures, 2000, "处置措施");
    if measures.is_none() && verdict.is_some_and(|v| v != Verdict::FalseAlarm) {
        errors.insert("measures".into(), "请填写处置措施".into());
    }
    let area_ha = match optional(&input.area_ha) {
        None => 0.0,
        Some(t) => match t.parse::<f64>() {
            Ok(v) if (0.0..1e7).contains(&v) => v,
            _ => {
                errors.insert(
                    "area_ha".into(),
                    "过火面积应为不小于 0 的数字（公顷）".into(),
                );
                0.0
            }
        },
    };
    let deaths = count_field(&mut errors, "deaths", &input.deaths, "死亡人数");
    let injured = count_field(&mut errors, "injured", &input.injured, "重伤人数");
    // Location is a courtesy of the phone: an odd one is left out, not refused.
    let lon = optional(&input.longitude).and_then(|t| t.parse::<f64>().ok());
    let lat = optional(&input.latitude).and_then(|t| t.parse::<f64>().ok());
    let (longitude, latitude) = match (lon, lat) {
        (Some(x), Some(y)) if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
            (Some(x), Some(y))
        }
        _ => (None, None),
    };
    match verdict {
        Some(verdict) if errors.is_empty() => Ok(Checked {
            verdict,
            verdict_label: verdict.label(),
            place,
            measures,
            area_ha,
            deaths,
            injured,
            longitude,
            latitude,
        }),
        _ => Err(errors),
    }
}

/// The call behind a link, with its hotspot.
pub async fn by_token(state: &AppState, token: &str) -> AppResult<(Call, Hotspot)> {
    let found = calls::by_token(&state.db, KIND, token).await?;
    let h = find(&state.db, found.subject_id, state.now()).await?;
    Ok((found, h))
}

/// What answering did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Answered {
    pub hotspot: Hotspot,
    /// The fire record a 林火 verdict opened.
    pub fire_id: Option<Uuid>,
}

async fn answer(
    state: &AppState,
    found: Call,
    spot: Hotspot,
    via: Via<'_>,
    input: &AnswerInput,
    photos: &[&Upload],
) -> AppResult<Answered> {
    let asked = Asked::new(spot);
    if found.about.is_some() {
        // An escalation is acknowledged, not answered: the township still answers.
        calls::confirm(state, &asked, found, via, None).await?;
        return Ok(Answered {
            fire_id: asked.spot.fire_id,
            hotspot: asked.spot,
        });
    }
    let now = state.now();
    if let Some(at) = asked.spot.answered_at {
        return Err(AppError::conflict(
            "already_answered",
            format!(
                "该热点已由 {} 于 {} 反馈核查结果",
                asked.spot.answered_by_name.clone().unwrap_or_default(),
                format_local(at)
            ),
        ));
    }
    if !asked.in_force(now) {
        return Err(AppError::conflict("link_expired", asked.ended_message()));
    }
    let checked = check_answer(input).map_err(AppError::Validation)?;
    if photos.iter().any(|p| !p.is_image()) {
        return Err(AppError::field("photos", "现场照片应为图片（JPG、PNG 等）"));
    }
    let value = serde_json::to_value(&checked).map_err(anyhow::Error::from)?;
    let who = via.who(&found);
    let txn = state.db.begin().await?;
    calls::confirm_in(&txn, &asked, &found, via, Some(&value), now).await?;
    let settled = settle(&txn, &asked.spot, &checked, who.name, now).await?;
    if !settled {
        return Err(AppError::conflict(
            "already_answered",
            "该热点已由他人反馈核查结果",
        ));
    }
    calls::close_pending(&txn, asked.spot.id).await?;
    let region = asked.region_code().to_string();
    let owner = Owner {
        kind: KIND,
        id: asked.spot.id,
        region_code: &region,
    };
    let location = checked.latitude.zip(checked.longitude);
    attachments::save(
        &txn,
        &state.settings.files_dir,
        who,
        now,
        owner,
        photos,
        location,
    )
    .await?;
    let fire_id = match checked.verdict {
        Verdict::Forest => Some(open_fire(&txn, who, &asked.spot, &checked, now).await?),
        _ => None,
    };
    txn.commit().await?;
    Ok(Answered {
        hotspot: find(&state.db, asked.spot.id, state.now()).await?,
        fire_id,
    })
}

/// Write the answer onto the hotspot; false when another answer got there first.
async fn settle(
    db: &impl ConnectionTrait,
    spot: &Hotspot,
    c: &Checked,
    by: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    use hotspot::Column;
    let done = hotspot::Entity::update_many()
        .col_expr(Column::AnsweredAt, Expr::value(Some(now)))
        .col_expr(
            Column::AnsweredByName,
            Expr::value(Some(by.chars().take(60).collect::<String>())),
        )
        .col_expr(Column::Verdict, Expr::value(Some(c.verdict.code())))
        .col_expr(Column::Place, Expr::value(c.place.clone()))
        .col_expr(Column::Measures, Expr::value(c.measures.clone()))
        .col_expr(Column::AnswerLongitude, Expr::value(c.longitude))
        .col_expr(Column::AnswerLatitude, Expr::value(c.latitude))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(spot.id))
        .filter(Column::AnsweredAt.is_null())
        .filter(Column::VoidedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

/// 林火立档: the fire record a 林火 answer opens, graded from what is known so far.
async fn open_fire(
    db: &impl ConnectionTrait,
    who: Who<'_>,
    spot: &Hotspot,
    c: &Checked,
    now: DateTime<Utc>,
) -> AppResult<Uuid> {
    let opening = fires::store::Opening {
        region_code: spot
            .township_code
            .clone()
            .unwrap_or_else(|| spot.county_code.clone()),
        county_code: spot.county_code.clone(),
        hotspot_id: Some(spot.id),
        started_at: spot.detected_at,
        place: c
            .place
            .clone()
            .unwrap_or_else(|| format!("{}（{}）", spot.township_name, spot.coordinates())),
        area_ha: c.area_ha,
        deaths: c.deaths,
        injured: c.injured,
        note: c.measures.clone().unwrap_or_default(),
        why: format!("{} 核查为林火", spot.title()),
    };
    let id = fires::store::open(db, who, &opening, now).await?;
    hotspot::Entity::update_many()
        .col_expr(hotspot::Column::FireId, Expr::value(Some(id)))
        .filter(hotspot::Column::Id.eq(spot.id))
        .exec(db)
        .await?;
    Ok(id)
}

/// Answer through the link in the message (no login: the link is the credential).
pub async fn answer_by_token(
    state: &AppState,
    token: &str,
    input: &AnswerInput,
    photos: &[&Upload],
) -> AppResult<Answered> {
    let (found, spot) = by_token(state, token).await?;
    answer(state, found, spot, Via::Link, input, photos).await
}

/// Answer in the app, logged in as the person asked.
pub async fn answer_in_app(
    state: &AppState,
    actor: &Actor,
    call_id: Uuid,
    input: &AnswerInput,
    photos: &[&Upload],
) -> AppResult<Answered> {
    let found = calls::own(&state.db, KIND, actor, call_id).await?;
    let spot = find(&state.db, found.subject_id, state.now()).await?;
    answer(state, found, spot, Via::App(actor), input, photos).await
}

/// Home page items: hotspots waiting for this person's check; for county fire readers, the
/// county's overdue, unassigned and 3-pixel hotspots still unanswered.
pub async fn work_items(
    state: &AppState,
    actor: &Actor,
) -> AppResult<Vec<platform::home::WorkItem>> {
    let now = state.now();
    let mut items = Vec::new();
    for c in calls::waiting_for(&state.db, KIND, actor.user_id).await? {
        let Ok(spot) = find(&state.db, c.subject_id, now).await else {
            continue;
        };
        if spot.answered_at.is_some() || spot.stage == Stage::Voided {
            continue;
        }
        items.push(platform::home::WorkItem {
            title: match &c.about {
                Some(about) => format!("{about} 未反馈{}，请督促", spot.title()),
                None => format!("{} 等待您核查反馈", spot.title()),
            },
            detail: format!("{}，请在 {} 前反馈", spot.place_label(), spot.due_local()),
            href: format!("/fire/hotspots/answer/{}", c.token),
            urgent: true,
        });
    }
    if actor.can(perm::FIRE_VIEW) && actor.scope().prefix().len() <= 6 {
        items.extend(county_items(state, actor, now).await?);
    }
    Ok(items)
}

async fn county_items(
    state: &AppState,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<Vec<platform::home::WorkItem>> {
    let open = hotspot::Entity::find()
        .filter(actor.scope().condition(hotspot::Column::RegionCode))
        .filter(hotspot::Column::AnsweredAt.is_null())
        .filter(hotspot::Column::VoidedAt.is_null())
        .filter(hotspot::Column::DetectedAt.gte(now - Duration::days(7)))
        .all(&state.db)
        .await?;
    let spots = decorate(&state.db, open, now).await?;
    let count = |stage: Stage| spots.iter().filter(|h| h.stage == stage).count();
    let mut items = Vec::new();
    let (overdue, unassigned) = (count(Stage::Overdue), count(Stage::Unassigned));
    let big = spots.iter().filter(|h| h.report_at_once).count();
    if overdue + unassigned > 0 {
        items.push(platform::home::WorkItem {
            title: format!("卫星热点：{overdue} 个超时未反馈，{unassigned} 个待指派乡镇"),
            detail: format!("另有 {} 个在核查时限内", count(Stage::Waiting)),
            href: "/fire/hotspots".to_string(),
            urgent: true,
        });
    }
    if big > 0 {
        items.push(platform::home::WorkItem {
            title: format!("{big} 个热点达 3 个像元以上，须立即上报"),
            detail: "请核实后立即向市森防办报告".to_string(),
            href: "/fire/hotspots".to_string(),
            urgent: true,
        });
    }
    Ok(items)
}
