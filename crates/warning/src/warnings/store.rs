//! Warnings' queries and changes, scoped, versioned and audited.
//! - Writers: WARNING_EDIT at county level draft, edit, issue, update and lift.
//! - Approvers: WARNING_APPROVE (the bureau's leaders), never the drafter.
//! - Readers: county-level WARNING_VIEW holders see every warning of their scope; townships and
//!   villages see the issued (and lifted) warnings whose area includes their township.

use chrono::{DateTime, Datelike, Utc};
use platform::access::{Actor, Scope, perm};
use platform::audit::{self, Entry};
use platform::clock::{china, format_local};
use platform::db::sequence;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::regions::{self, Level as RegionLevel};
use platform::web::AppState;
use platform::web::form::{local_input, optional, parse_time, text_field};
use platform::web::letter::document_number;
use platform::web::paging::{PageOf, Paging, fetch_page};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::calls;
use super::entity::warning::{self, Column, Entity};
use super::model::{self, KINDS, Level, kind_label, state};
use crate::bureau::is_writer;
use platform::contacts::groups;
use platform::regions::model::county_of;
use platform::regions::store::county_names;

/// The audit kind of warnings.
pub const KIND: &str = "warning";
/// The numbering series: 三台应急预警〔2026〕5号.
pub const SERIES: &str = "warning";

pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("warning.approve", "审核预警"),
    ("warning.issue", "发布预警"),
    ("warning.revise", "更新预警"),
    ("warning.lift", "解除预警"),
    ("warning.import", "接收上级预警"),
    ("warning.confirm", "叫应确认"),
    ("warning.escalate", "叫应升级"),
];

/// A warning as pages and the API show it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Warning {
    pub id: Uuid,
    pub region_code: String,
    pub version: i32,
    pub number: Option<String>,
    pub kind: String,
    pub kind_label: &'static str,
    pub level: i32,
    pub title: String,
    pub content: String,
    pub actions: String,
    pub area_codes: Vec<String>,
    pub area_desc: String,
    pub polygon: Option<String>,
    pub include_departments: bool,
    /// Contact groups also asked (县防指成员单位联络员 …).
    pub contact_groups: Vec<Uuid>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub state: String,
    pub drafted_by: Option<Uuid>,
    pub drafted_by_name: String,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub issued_by_name: Option<String>,
    pub issued_at: Option<DateTime<Utc>>,
    pub revision: i32,
    pub revised_at: Option<DateTime<Utc>>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lift_reason: Option<String>,
    pub source: String,
    pub cap_identifier: Option<String>,
    pub cap_sender: Option<String>,
    pub cap_sent: Option<String>,
    pub sender_name: Option<String>,
    pub relayed_from: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<warning::Model> for Warning {
    fn from(m: warning::Model) -> Self {
        Self {
            kind_label: kind_label(&m.kind),
            area_codes: split_codes(&m.area_codes),
            id: m.id,
            region_code: m.region_code,
            version: m.version,
            number: m.number,
            kind: m.kind,
            level: m.level,
            title: m.title,
            content: m.content,
            actions: m.actions,
            area_desc: m.area_desc,
            polygon: m.polygon,
            include_departments: m.include_departments,
            contact_groups: m
                .contact_groups
                .as_deref()
                .unwrap_or_default()
                .split(',')
                .filter_map(|id| Uuid::parse_str(id).ok())
                .collect(),
            valid_from: m.valid_from,
            valid_until: m.valid_until,
            state: m.state,
            drafted_by: m.drafted_by,
            drafted_by_name: m.drafted_by_name,
            approved_by_name: m.approved_by_name,
            approved_at: m.approved_at,
            issued_by_name: m.issued_by_name,
            issued_at: m.issued_at,
            revision: m.revision,
            revised_at: m.revised_at,
            lifted_at: m.lifted_at,
            lift_reason: m.lift_reason,
            source: m.source,
            cap_identifier: m.cap_identifier,
            cap_sender: m.cap_sender,
            cap_sent: m.cap_sent,
            sender_name: m.sender_name,
            relayed_from: m.relayed_from,
            created_at: m.created_at,
        }
    }
}

fn split_codes(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Warning {
    pub fn level(&self) -> Level {
        Level::parse(self.level).unwrap_or(Level(4))
    }

    pub fn level_text(&self) -> String {
        format!("{}（{}）", self.level().label(), self.level().colour())
    }

    pub fn state_label(&self) -> &'static str {
        state::label(&self.state)
    }

    pub fn state_tone(&self) -> &'static str {
        state::tone(&self.state)
    }

    pub fn is(&self, code: &str) -> bool {
        self.state == code
    }

    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.state == state::ISSUED && self.valid_until > now
    }

    pub fn validity_text(&self) -> String {
        format!(
            "{} 至 {}",
            format_local(self.valid_from),
            format_local(self.valid_until)
        )
    }

    pub fn issued_local(&self) -> String {
        self.issued_at.map(format_local).unwrap_or_default()
    }

    pub fn approved_local(&self) -> String {
        self.approved_at.map(format_local).unwrap_or_default()
    }

    pub fn revised_local(&self) -> String {
        self.revised_at.map(format_local).unwrap_or_default()
    }

    pub fn lifted_local(&self) -> String {
        self.lifted_at.map(format_local).unwrap_or_default()
    }

    pub fn number_text(&self) -> &str {
        self.number.as_deref().unwrap_or("（发布时编号）")
    }
}

/// Writers work for a county; the rest of the bureau reads.
pub fn require_writer(actor: &Actor) -> AppResult<()> {
    actor.require(perm::WARNING_EDIT)?;
    if is_writer(actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// What a reader may see: their scope at county level; below it, the issued warnings whose
/// area names their township.
fn visible(actor: &Actor) -> AppResult<Condition> {
    actor.require(perm::WARNING_VIEW)?;
    let scope = actor.scope();
    if scope.prefix().len() <= 6 {
        return Ok(scope.condition(Column::RegionCode));
    }
    let township = model::township_of(&actor.region_code);
    Ok(Condition::all()
        .add(Column::RegionCode.eq(county_of(&actor.region_code)))
        .add(Column::State.is_in([state::ISSUED, state::LIFTED]))
        .add(Column::AreaCodes.contains(township)))
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct WarningFilter {
    /// Title, content or number.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub level: Option<i32>,
    pub state: Option<String>,
    /// A township the area includes.
    pub township: Option<String>,
    /// First day (UTC+8) the warning was issued (or drafted), `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// `local` or `cap`.
    pub source: Option<String>,
    /// First day (UTC+8) of issue, `YYYY-MM-DD`: only warnings issued (or, from a higher
    /// level, sent) on or after it.
    pub issued_from: Option<String>,
    /// Last day of issue, inclusive.
    pub issued_to: Option<String>,
    /// Only warnings relaying one received from a higher level (转发).
    pub relayed: Option<bool>,
}

fn day_start(text: &str) -> Option<DateTime<Utc>> {
    parse_time(&format!("{}T00:00", text.trim()))
}

pub fn select(actor: &Actor, filter: &WarningFilter) -> AppResult<sea_orm::Select<Entity>> {
    let mut q = Entity::find()
        .filter(visible(actor)?)
        .filter(Column::VoidedAt.is_null());
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            Condition::any()
                .add(Column::Title.contains(&text))
                .add(Column::Content.contains(&text))
                .add(Column::Number.contains(&text)),
        );
    }
    if let Some(kind) = optional(&filter.kind) {
        q = q.filter(Column::Kind.eq(kind));
    }
    if let Some(level) = filter.level.filter(|l| (1..=4).contains(l)) {
        q = q.filter(Column::Level.eq(level));
    }
    if let Some(s) = optional(&filter.state) {
        q = q.filter(Column::State.eq(s));
    }
    if let Some(t) = optional(&filter.township) {
        q = q.filter(Column::AreaCodes.contains(t));
    }
    if let Some(source) = optional(&filter.source) {
        q = q.filter(Column::Source.eq(source));
    }
    if let Some(from) = filter.from.as_deref().and_then(day_start) {
        q = q.filter(Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to.as_deref().and_then(day_start) {
        q = q.filter(Column::CreatedAt.lt(to + chrono::Duration::days(1)));
    }
    if let Some(from) = filter.issued_from.as_deref().and_then(day_start) {
        q = q.filter(Column::IssuedAt.gte(from));
    }
    if let Some(to) = filter.issued_to.as_deref().and_then(day_start) {
        q = q.filter(Column::IssuedAt.lt(to + chrono::Duration::days(1)));
    }
    if filter.relayed == Some(true) {
        q = q.filter(Column::RelayedFrom.is_not_null());
    }
    Ok(q.order_by_desc(Column::CreatedAt).order_by_desc(Column::Id))
}

pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &WarningFilter,
    paging: Paging,
) -> AppResult<PageOf<Warning>> {
    Ok(fetch_page(db, select(actor, filter)?, paging)
        .await?
        .map(Warning::from))
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Warning> {
    Entity::find_by_id(id)
        .filter(visible(actor)?)
        .one(db)
        .await?
        .map(Warning::from)
        .ok_or(AppError::NotFound)
}

/// Without a reader: for the jobs and the confirmation link.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<warning::Model>> {
    Ok(Entity::find_by_id(id).one(db).await?)
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct WarningInput {
    pub kind: Option<String>,
    /// 1 (一级, red) … 4 (四级, blue).
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    pub level: Option<String>,
    pub title: Option<String>,
    pub content: Option<String>,
    pub actions: Option<String>,
    /// Township codes (12 digits) inside the writer's county.
    #[serde(default)]
    pub area_codes: Vec<String>,
    /// Optional polygon: "lat,lon lat,lon …" (at least 3 points).
    pub polygon: Option<String>,
    #[serde(default, deserialize_with = "platform::web::form::de_flag")]
    pub include_departments: Option<bool>,
    /// Contact-group ids also asked.
    #[serde(default)]
    pub contact_groups: Vec<String>,
    /// `2026-07-01T08:00` (UTC+8) or RFC 3339.
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// On edit: the version the form was loaded at.
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    pub version: Option<String>,
}

/// A whole number typed in a form or sent as JSON.
fn number(text: &Option<String>) -> Option<i32> {
    text.as_deref().and_then(|t| t.trim().parse().ok())
}

impl WarningInput {
    /// The form filled with a warning, for editing.
    pub fn of(w: &Warning) -> Self {
        Self {
            kind: Some(w.kind.clone()),
            level: Some(w.level.to_string()),
            title: Some(w.title.clone()),
            content: Some(w.content.clone()),
            actions: Some(w.actions.clone()),
            area_codes: w.area_codes.clone(),
            polygon: w.polygon.clone(),
            include_departments: Some(w.include_departments),
            contact_groups: w.contact_groups.iter().map(Uuid::to_string).collect(),
            valid_from: Some(local_input(w.valid_from)),
            valid_until: Some(local_input(w.valid_until)),
            version: Some(w.version.to_string()),
        }
    }
}

pub struct Valid {
    pub kind: String,
    pub level: i32,
    pub title: String,
    pub content: String,
    pub actions: String,
    pub area_codes: Vec<String>,
    pub area_desc: String,
    pub polygon: Option<String>,
    pub include_departments: bool,
    pub contact_groups: Vec<Uuid>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
}

/// "lat,lon lat,lon …" with at least three points inside China's box.
fn valid_polygon(text: &str) -> bool {
    let points: Vec<Option<(f64, f64)>> = text
        .split_whitespace()
        .map(|p| {
            let (lat, lon) = p.split_once(',')?;
            Some((lat.parse().ok()?, lon.parse().ok()?))
        })
        .collect();
    points.len() >= 3
        && points.iter().all(|p| {
            p.is_some_and(|(lat, lon)| (3.0..=54.0).contains(&lat) && (73.0..=136.0).contains(&lon))
        })
}

async fn validate(
    db: &impl ConnectionTrait,
    county: &str,
    input: &WarningInput,
    now: DateTime<Utc>,
) -> AppResult<Valid> {
    let mut errors = FieldErrors::new();
    let kind = optional(&input.kind).filter(|k| KINDS.iter().any(|(c, _)| c == k));
    if kind.is_none() {
        errors.insert("kind".into(), "请选择预警种类".into());
    }
    let level = number(&input.level).and_then(Level::parse);
    if level.is_none() {
        errors.insert("level".into(), "请选择预警级别（一级至四级）".into());
    }
    let title = text_field(&mut errors, "title", &input.title, 100, "标题");
    if title.is_none() {
        errors.insert("title".into(), "请填写标题".into());
    }
    let content = text_field(&mut errors, "content", &input.content, 4000, "预警内容");
    if content.is_none() {
        errors.insert("content".into(), "请填写预警内容".into());
    }
    let actions =
        text_field(&mut errors, "actions", &input.actions, 4000, "防范要求").unwrap_or_default();
    let (area_codes, area_desc) = valid_area(db, county, &input.area_codes, &mut errors).await?;
    let contact_groups = valid_groups(db, county, &input.contact_groups, &mut errors).await?;
    let polygon = optional(&input.polygon);
    if polygon.as_deref().is_some_and(|p| !valid_polygon(p)) {
        errors.insert(
            "polygon".into(),
            "多边形应为“纬度,经度”点对，以空格分隔，至少 3 个点".into(),
        );
    }
    let valid_from = optional(&input.valid_from).and_then(|t| parse_time(&t));
    let valid_until = optional(&input.valid_until).and_then(|t| parse_time(&t));
    match (valid_from, valid_until) {
        (None, _) => {
            errors.insert("valid_from".into(), "请填写生效时间".into());
        }
        (_, None) => {
            errors.insert("valid_until".into(), "请填写失效时间".into());
        }
        (Some(from), Some(until)) if until <= from => {
            errors.insert("valid_until".into(), "失效时间应晚于生效时间".into());
        }
        (_, Some(until)) if until <= now => {
            errors.insert(
                "valid_until".into(),
                "有效期已过，请填写将来的失效时间".into(),
            );
        }
        _ => {}
    }
    match (kind, level, title, content, valid_from, valid_until) {
        (Some(kind), Some(level), Some(title), Some(content), Some(from), Some(until))
            if errors.is_empty() =>
        {
            Ok(Valid {
                kind,
                level: i32::from(level.0),
                title,
                content,
                actions,
                area_codes,
                area_desc,
                polygon,
                include_departments: input.include_departments.unwrap_or(false),
                contact_groups,
                valid_from: from,
                valid_until: until,
            })
        }
        _ => Err(AppError::Validation(errors)),
    }
}

/// The county's live contact groups among those chosen.
async fn valid_groups(
    db: &impl ConnectionTrait,
    county: &str,
    raw: &[String],
    errors: &mut FieldErrors,
) -> AppResult<Vec<Uuid>> {
    let checked = match groups::store::parse_ids(raw) {
        Ok(ids) => groups::store::require_in_scope(db, &Scope::of(county), &ids)
            .await
            .map(|_| ids),
        Err(e) => Err(e),
    };
    match checked {
        Ok(ids) => Ok(ids),
        Err(AppError::Validation(fields)) => {
            errors.extend(fields);
            Ok(Vec::new())
        }
        Err(e) => Err(e),
    }
}

fn joined_ids(ids: &[Uuid]) -> Option<String> {
    (!ids.is_empty()).then(|| {
        ids.iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// Townships of the county, deduplicated, in code order; their names joined for the text.
async fn valid_area(
    db: &impl ConnectionTrait,
    county: &str,
    codes: &[String],
    errors: &mut FieldErrors,
) -> AppResult<(Vec<String>, String)> {
    let townships =
        regions::store::list_level(db, &Scope::of(county), RegionLevel::Township).await?;
    let mut chosen: Vec<&regions::store::Region> = Vec::new();
    for code in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match townships.iter().find(|t| t.code == code) {
            Some(t) if !chosen.iter().any(|c| c.code == t.code) => chosen.push(t),
            Some(_) => {}
            None => {
                errors.insert(
                    "area_codes".into(),
                    format!("{code} 不是本县的乡镇（街道）"),
                );
            }
        }
    }
    if chosen.is_empty() && !errors.contains_key("area_codes") {
        errors.insert("area_codes".into(), "请选择预警区域（至少一个乡镇）".into());
    }
    chosen.sort_by(|a, b| a.code.cmp(&b.code));
    let desc = if !townships.is_empty() && chosen.len() == townships.len() {
        "全县各乡镇（街道）".to_string()
    } else {
        chosen
            .iter()
            .map(|t| t.short_name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    Ok((chosen.iter().map(|t| t.code.clone()).collect(), desc))
}

/// The county a writer issues for.
fn writer_county(actor: &Actor) -> String {
    county_of(&actor.region_code)
}

pub async fn create(state: &AppState, actor: &Actor, input: &WarningInput) -> AppResult<Warning> {
    create_from(state, actor, input, None).await
}

/// A draft relaying a received warning.
pub async fn create_relay(
    state: &AppState,
    actor: &Actor,
    input: &WarningInput,
    received: Uuid,
) -> AppResult<Warning> {
    create_from(state, actor, input, Some(received)).await
}

async fn create_from(
    state: &AppState,
    actor: &Actor,
    input: &WarningInput,
    relayed_from: Option<Uuid>,
) -> AppResult<Warning> {
    require_writer(actor)?;
    let county = writer_county(actor);
    let now = state.now();
    let v = validate(&state.db, &county, input, now).await?;
    let txn = state.db.begin().await?;
    let origin = match relayed_from {
        Some(received) => Origin::Relay(received),
        None => Origin::Local,
    };
    let created = insert(&txn, actor, &county, v, now, origin).await?;
    let summary = match relayed_from {
        Some(_) => format!("转发上级预警，起草「{}」", created.title),
        None => format!("起草预警「{}」", created.title),
    };
    let entry = Entry::new("create", KIND, created.id, &created.region_code)
        .summary(summary)
        .after(&created);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(created)
}

/// Where a warning comes from: drafted here, drafted to relay a received one, or received as
/// CAP from a higher-level system (kept as the sender wrote it).
pub(crate) enum Origin {
    Local,
    Relay(Uuid),
    Received(CapSource),
}

/// The sender's side of a received CAP alert.
pub(crate) struct CapSource {
    pub identifier: String,
    pub sender: String,
    /// `sent` as the sender wrote it (with its offset), for references in our replies.
    pub sent_text: String,
    pub sent: DateTime<Utc>,
    pub sender_name: Option<String>,
}

pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    county: &str,
    v: Valid,
    now: DateTime<Utc>,
    origin: Origin,
) -> AppResult<Warning> {
    let mut model = warning::ActiveModel {
        number: Set(None),
        kind: Set(v.kind),
        level: Set(v.level),
        title: Set(v.title),
        content: Set(v.content),
        actions: Set(v.actions),
        area_codes: Set(v.area_codes.join(",")),
        area_desc: Set(v.area_desc),
        polygon: Set(v.polygon),
        include_departments: Set(v.include_departments),
        contact_groups: Set(joined_ids(&v.contact_groups)),
        valid_from: Set(v.valid_from),
        valid_until: Set(v.valid_until),
        state: Set(state::DRAFT.to_string()),
        drafted_by: Set(Some(actor.user_id)),
        drafted_by_name: Set(actor.display_name.clone()),
        approved_by: Set(None),
        approved_by_name: Set(None),
        approved_at: Set(None),
        issued_by: Set(None),
        issued_by_name: Set(None),
        issued_at: Set(None),
        revision: Set(0),
        revised_at: Set(None),
        lifted_at: Set(None),
        lift_reason: Set(None),
        source: Set("local".to_string()),
        cap_identifier: Set(None),
        cap_sender: Set(None),
        cap_sent: Set(None),
        sender_name: Set(None),
        relayed_from: Set(None),
        ..platform::db::new_record(Uuid::now_v7(), county.to_string(), Some(actor.user_id), now)
    };
    match origin {
        Origin::Local => {}
        Origin::Relay(received) => model.relayed_from = Set(Some(received)),
        Origin::Received(cap) => {
            model.state = Set(state::RECEIVED.to_string());
            model.drafted_by = Set(None);
            model.drafted_by_name = Set(cap.sender_name.clone().unwrap_or(cap.sender.clone()));
            model.issued_at = Set(Some(cap.sent));
            model.source = Set("cap".to_string());
            model.cap_identifier = Set(Some(cap.identifier));
            model.cap_sender = Set(Some(cap.sender));
            model.cap_sent = Set(Some(cap.sent_text));
            model.sender_name = Set(cap.sender_name);
        }
    }
    Ok(Warning::from(model.insert(db).await?))
}

fn refused(r: model::Refused) -> AppError {
    AppError::conflict("transition_refused", r.0)
}

fn version_of(input: &WarningInput) -> AppResult<i32> {
    number(&input.version).ok_or_else(|| AppError::field("version", "缺少版本号，请刷新页面后重试"))
}

/// Edit. A draft changes in place; an approved warning goes back to draft (its approval was for
/// other words); an issued one is updated (更新): the change goes out to every recipient and
/// CAP exports an `Update`.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &WarningInput,
) -> AppResult<Warning> {
    require_writer(actor)?;
    let before = get(&state.db, actor, id).await?;
    model::may_edit(&before.state).map_err(refused)?;
    let version = version_of(input)?;
    let now = state.now();
    let v = validate(&state.db, &before.region_code, input, now).await?;
    let issued = before.is(state::ISSUED);
    let txn = state.db.begin().await?;
    let mut changes = Entity::update_many()
        .col_expr(Column::Kind, Expr::value(v.kind))
        .col_expr(Column::Level, Expr::value(v.level))
        .col_expr(Column::Title, Expr::value(v.title))
        .col_expr(Column::Content, Expr::value(v.content))
        .col_expr(Column::Actions, Expr::value(v.actions))
        .col_expr(Column::AreaCodes, Expr::value(v.area_codes.join(",")))
        .col_expr(Column::AreaDesc, Expr::value(v.area_desc))
        .col_expr(Column::Polygon, Expr::value(v.polygon))
        .col_expr(
            Column::IncludeDepartments,
            Expr::value(v.include_departments),
        )
        .col_expr(
            Column::ContactGroups,
            Expr::value(joined_ids(&v.contact_groups)),
        )
        .col_expr(Column::ValidFrom, Expr::value(v.valid_from))
        .col_expr(Column::ValidUntil, Expr::value(v.valid_until));
    if issued {
        changes = changes
            .col_expr(Column::Revision, Expr::value(before.revision + 1))
            .col_expr(Column::RevisedAt, Expr::value(Some(now)));
    } else {
        changes = changes
            .col_expr(Column::State, Expr::value(state::DRAFT))
            .col_expr(Column::ApprovedBy, Expr::value(Option::<Uuid>::None))
            .col_expr(Column::ApprovedByName, Expr::value(Option::<String>::None))
            .col_expr(
                Column::ApprovedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            );
    }
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    let after = Warning::from(find(&txn, id).await?.ok_or(AppError::NotFound)?);
    if issued {
        calls::announce_revision(&txn, actor, &after, now).await?;
    }
    let (action, summary) = if issued {
        (
            "warning.revise",
            format!(
                "更新预警「{}」（第 {} 次更新）",
                after.title, after.revision
            ),
        )
    } else {
        ("update", format!("修改预警「{}」", after.title))
    };
    let entry = Entry::new(action, KIND, id, &after.region_code)
        .summary(summary)
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct StepInput {
    #[serde(default, deserialize_with = "platform::web::form::de_number")]
    pub version: Option<String>,
    /// Why (lifting).
    pub reason: Option<String>,
}

/// 审核 by a leader who did not draft it.
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &StepInput,
) -> AppResult<Warning> {
    actor.require(perm::WARNING_APPROVE)?;
    let before = get(&state.db, actor, id).await?;
    let drafter = before.drafted_by.unwrap_or_default();
    model::may_approve(&before.state, drafter, actor.user_id).map_err(refused)?;
    let version = number(&input.version).unwrap_or(before.version);
    let now = state.now();
    let txn = state.db.begin().await?;
    let changes = Entity::update_many()
        .col_expr(Column::State, Expr::value(state::APPROVED))
        .col_expr(Column::ApprovedBy, Expr::value(Some(actor.user_id)))
        .col_expr(
            Column::ApprovedByName,
            Expr::value(Some(actor.display_name.clone())),
        )
        .col_expr(Column::ApprovedAt, Expr::value(Some(now)));
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    let after = Warning::from(find(&txn, id).await?.ok_or(AppError::NotFound)?);
    let entry = Entry::new("warning.approve", KIND, id, &after.region_code)
        .summary(format!("审核同意发布预警「{}」", after.title));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 发布: number it, and ask every recipient in the area to confirm (叫应) — the calls and their
/// messages are written in the same transaction as the issue.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &StepInput,
) -> AppResult<(Warning, usize)> {
    require_writer(actor)?;
    let before = get(&state.db, actor, id).await?;
    let now = state.now();
    model::may_issue(&before.state, before.valid_until, now).map_err(refused)?;
    let version = number(&input.version).unwrap_or(before.version);
    let year = now.with_timezone(&china()).year();
    let txn = state.db.begin().await?;
    let (_, stem) = county_names(&txn, &before.region_code).await?;
    let seq = sequence::next(&txn, &before.region_code, SERIES, year).await?;
    let number = document_number(&format!("{stem}应急预警"), year, seq);
    let changes = Entity::update_many()
        .col_expr(Column::State, Expr::value(state::ISSUED))
        .col_expr(Column::Number, Expr::value(Some(number)))
        .col_expr(Column::IssuedBy, Expr::value(Some(actor.user_id)))
        .col_expr(
            Column::IssuedByName,
            Expr::value(Some(actor.display_name.clone())),
        )
        .col_expr(Column::IssuedAt, Expr::value(Some(now)));
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    let after = Warning::from(find(&txn, id).await?.ok_or(AppError::NotFound)?);
    let asked = calls::fan_out(&txn, state, actor, &after, now).await?;
    let entry = Entry::new("warning.issue", KIND, id, &after.region_code).summary(format!(
        "发布预警「{}」{}，叫应 {} 人",
        after.title,
        after.number_text(),
        asked
    ));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok((after, asked))
}

/// 解除: the recipients are told, and the calls still open are closed.
pub async fn lift(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &StepInput,
) -> AppResult<Warning> {
    require_writer(actor)?;
    let before = get(&state.db, actor, id).await?;
    model::may_lift(&before.state).map_err(refused)?;
    let mut errors = FieldErrors::new();
    let reason = text_field(&mut errors, "reason", &input.reason, 200, "解除原因");
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        errors
            .entry("reason".into())
            .or_insert_with(|| "请填写解除原因".into());
        return Err(AppError::Validation(errors));
    };
    let version = number(&input.version).unwrap_or(before.version);
    let now = state.now();
    let txn = state.db.begin().await?;
    let changes = Entity::update_many()
        .col_expr(Column::State, Expr::value(state::LIFTED))
        .col_expr(Column::LiftedAt, Expr::value(Some(now)))
        .col_expr(Column::LiftReason, Expr::value(Some(reason.clone())));
    platform::db::versioned_update(&txn, changes, id, version, actor.user_id, now).await?;
    let after = Warning::from(find(&txn, id).await?.ok_or(AppError::NotFound)?);
    calls::announce_lift(&txn, actor, &after, now).await?;
    let entry = Entry::new("warning.lift", KIND, id, &after.region_code)
        .summary(format!("解除预警「{}」：{reason}", after.title));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 作废 a draft (an issued warning is lifted, never voided).
pub async fn void(state: &AppState, actor: &Actor, id: Uuid, reason: &str) -> AppResult<()> {
    require_writer(actor)?;
    let before = get(&state.db, actor, id).await?;
    if !(before.is(state::DRAFT) || before.is(state::APPROVED) || before.is(state::RECEIVED)) {
        return Err(AppError::conflict(
            "transition_refused",
            "已发布的预警请使用“解除”",
        ));
    }
    let reason = platform::db::void_reason(reason)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::mark_voided::<Entity>(&txn, id, &reason, actor.user_id, now).await?;
    let entry = Entry::new("void", KIND, id, &before.region_code)
        .summary(format!("作废预警草稿「{}」：{reason}", before.title));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(())
}

/// Townships of the writer's county, for the area checkboxes.
pub async fn townships(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> AppResult<Vec<regions::store::Region>> {
    regions::store::list_level(
        db,
        &Scope::of(&county_of(&actor.region_code)),
        RegionLevel::Township,
    )
    .await
}

/// A new warning's form: valid from now for 24 hours.
pub fn blank_input(now: DateTime<Utc>) -> WarningInput {
    WarningInput {
        level: Some("3".to_string()),
        valid_from: Some(local_input(now)),
        valid_until: Some(local_input(now + chrono::Duration::hours(24))),
        ..Default::default()
    }
}
