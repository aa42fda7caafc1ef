//! Hotspots as pages and the API read them, scoped; the county's rules; and how a hotspot reads
//! to the platform's 叫应 (`platform::calls`) as [`Asked`]. Receiving is in `receive.rs`,
//! answering in `answer.rs`.
//! - Readers: FIRE_VIEW holders read the hotspots inside their scope (a township's staff, the
//!   ones sent to their township).
//! - Writers: county-level FIRE_EDIT holders set the rules, receive, enter, assign and void.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use platform::access::{Actor, perm};
use platform::attachments::{self, Attachment};
use platform::audit::{self, Entry};
use platform::calls::model::Chase;
use platform::calls::{self, Says, Subject};
use platform::clock::{format_local, local_day, local_midnight};
use platform::error::{AppError, AppResult, FieldErrors};
use platform::web::AppState;
use platform::web::form::optional;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{batch, detection, hotspot, rules};
use super::firms::RowError;
use super::model::{self, Rules, Stage, Verdict};
use crate::access::{is_writer, require_reader, require_writer};
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

pub(super) async fn decorate(
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
pub(super) async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Hotspot> {
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
