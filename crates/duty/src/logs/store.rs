//! The duty log's and handovers' queries and changes, scoped and audited.
//! - Readers: county-level DUTY_VIEW holders read every entry of their county; others read the
//!   entries of shifts they stand.
//! - Writers: the people standing a shift write its entries; county duty editors may too.
//!   Open matters are closed by the county's duty editors or anyone standing a shift of the
//!   period now.
//! - Handover: someone standing the outgoing shift hands over; someone standing the next shift,
//!   and not the one handing over, confirms.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use platform::access::{Actor, perm};
use platform::audit::{self, Entry};
use platform::clock::format_local;
use platform::error::{AppError, AppResult, FieldErrors};
use platform::home::WorkItem;
use platform::web::AppState;
use platform::web::form::{optional, parse_date, parse_time, text_field};
use platform::web::paging::{PageOf, Paging, fetch_page};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{entry, handover};
use super::model::{self, LogError, LogKind};
use crate::rosters::entity::{assignment, period, shift};
use crate::rosters::model::{Slot, local_instant, shift_label};
use crate::rosters::store::{self as rosters, Shift, Sight, is_writer, sight};

pub const KIND_ENTRY: &str = "duty_log_entry";
pub const KIND_HANDOVER: &str = "duty_handover";

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("duty.log.close", "办结"),
    ("duty.handover", "交班"),
    ("duty.handover.confirm", "确认接班"),
];

/// 值班记录.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LogEntry {
    pub id: Uuid,
    pub region_code: String,
    pub period_id: Uuid,
    pub period_name: String,
    pub shift_id: Uuid,
    pub shift_label: String,
    pub kind: LogKind,
    pub at: DateTime<Utc>,
    pub from_party: Option<String>,
    pub to_party: Option<String>,
    pub content: String,
    /// 待办.
    pub is_open: bool,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by_name: Option<String>,
    pub outcome: Option<String>,
    pub recorded_by_name: String,
    pub version: i32,
}

impl LogEntry {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    pub fn kind_class(&self) -> &'static str {
        self.kind.colour()
    }

    pub fn at_local(&self) -> String {
        format_local(self.at)
    }

    pub fn closed_local(&self) -> String {
        self.closed_at.map(format_local).unwrap_or_default()
    }

    pub fn parties(&self) -> String {
        match (&self.from_party, &self.to_party) {
            (Some(f), Some(t)) => format!("{f} → {t}"),
            (Some(f), None) => f.clone(),
            (None, Some(t)) => format!("→ {t}"),
            (None, None) => String::new(),
        }
    }
}

async fn decorate(
    db: &impl ConnectionTrait,
    models: Vec<entry::Model>,
) -> AppResult<Vec<LogEntry>> {
    let mut people: Vec<Uuid> = Vec::new();
    let mut shift_ids: Vec<Uuid> = Vec::new();
    let mut period_ids: Vec<Uuid> = Vec::new();
    for m in &models {
        people.extend(m.created_by);
        people.extend(m.closed_by);
        shift_ids.push(m.shift_id);
        period_ids.push(m.period_id);
    }
    shift_ids.sort();
    shift_ids.dedup();
    period_ids.sort();
    period_ids.dedup();
    let names = platform::users::store::display_names(db, people).await?;
    let shifts: HashMap<Uuid, String> = match shift_ids.is_empty() {
        true => HashMap::new(),
        false => shift::Entity::find()
            .filter(shift::Column::Id.is_in(shift_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| {
                let slot = Slot::parse(&s.slot).unwrap_or(Slot::Full);
                (s.id, shift_label(s.day, slot, s.starts_at, s.ends_at))
            })
            .collect(),
    };
    let periods: HashMap<Uuid, String> = match period_ids.is_empty() {
        true => HashMap::new(),
        false => period::Entity::find()
            .filter(period::Column::Id.is_in(period_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect(),
    };
    Ok(models
        .into_iter()
        .map(|m| LogEntry {
            id: m.id,
            region_code: m.region_code,
            period_id: m.period_id,
            period_name: periods.get(&m.period_id).cloned().unwrap_or_default(),
            shift_id: m.shift_id,
            shift_label: shifts.get(&m.shift_id).cloned().unwrap_or_default(),
            kind: LogKind::parse(&m.kind).unwrap_or(LogKind::Other),
            at: m.at,
            from_party: m.from_party,
            to_party: m.to_party,
            content: m.content,
            is_open: m.is_open,
            closed_at: m.closed_at,
            closed_by_name: m.closed_by.and_then(|id| names.get(&id).cloned()),
            outcome: m.outcome,
            recorded_by_name: m
                .created_by
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            version: m.version,
        })
        .collect())
}

fn entries_in(sight: &Sight) -> Condition {
    match sight {
        Sight::Scope(scope) => scope.condition(entry::Column::RegionCode),
        Sight::Own(user_id) => {
            let mine = assignment::Entity::find()
                .select_only()
                .column(assignment::Column::ShiftId)
                .filter(assignment::Column::UserId.eq(*user_id))
                .into_query();
            Condition::all().add(entry::Column::ShiftId.in_subquery(mine))
        }
    }
}

/// The log's filter.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct LogFilter {
    /// A period's id.
    pub period: Option<String>,
    /// A shift's id.
    pub shift: Option<String>,
    /// incoming_call | outgoing_call | rain | water | works | disaster | instruction | report | other
    pub kind: Option<String>,
    /// open (待办) | closed (已办结)
    pub open: Option<String>,
    /// Words in the content, parties or outcome.
    pub q: Option<String>,
    /// Entries from this day (YYYY-MM-DD, county time).
    pub from: Option<String>,
    /// Entries up to and including this day.
    pub to: Option<String>,
}

fn select(sight: &Sight, filter: &LogFilter) -> AppResult<sea_orm::Select<entry::Entity>> {
    use entry::Column;
    let mut q = entry::Entity::find()
        .filter(entries_in(sight))
        .filter(Column::VoidedAt.is_null());
    let id = |text: &Option<String>, label: &str| -> AppResult<Option<Uuid>> {
        optional(text)
            .map(|t| {
                Uuid::parse_str(&t).map_err(|_| {
                    AppError::bad_request("invalid_query", format!("{label}编号格式不正确"))
                })
            })
            .transpose()
    };
    if let Some(p) = id(&filter.period, "值班期")? {
        q = q.filter(Column::PeriodId.eq(p));
    }
    if let Some(s) = id(&filter.shift, "班次")? {
        q = q.filter(Column::ShiftId.eq(s));
    }
    if let Some(kind) = optional(&filter.kind) {
        q = q.filter(Column::Kind.eq(kind));
    }
    match optional(&filter.open).as_deref() {
        Some("open") => q = q.filter(Column::IsOpen.eq(true)),
        Some("closed") => q = q.filter(Column::IsOpen.eq(false)),
        _ => {}
    }
    let day = |text: &Option<String>, label: &str| -> AppResult<Option<chrono::NaiveDate>> {
        optional(text)
            .map(|t| {
                parse_date(&t).ok_or_else(|| {
                    AppError::bad_request("invalid_query", format!("{label}格式应为 2026-06-01"))
                })
            })
            .transpose()
    };
    let midnight = chrono::NaiveTime::MIN;
    if let Some(d) = day(&filter.from, "开始日期")? {
        q = q.filter(Column::At.gte(local_instant(d, midnight)));
    }
    if let Some(d) = day(&filter.to, "结束日期")? {
        let next = d + chrono::Duration::days(1);
        q = q.filter(Column::At.lt(local_instant(next, midnight)));
    }
    if let Some(text) = optional(&filter.q) {
        q = q.filter(
            Condition::any()
                .add(Column::Content.contains(&text))
                .add(Column::FromParty.contains(&text))
                .add(Column::ToParty.contains(&text))
                .add(Column::Outcome.contains(&text)),
        );
    }
    Ok(q.order_by_desc(Column::At).order_by_desc(Column::Id))
}

/// Entries the reader may see, latest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &LogFilter,
    paging: Paging,
) -> AppResult<PageOf<LogEntry>> {
    let q = select(&sight(actor)?, filter)?;
    let page = fetch_page(db, q, paging).await?;
    Ok(PageOf {
        items: decorate(db, page.items).await?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// How many entries the list shows for `filter`.
pub async fn count(db: &impl ConnectionTrait, actor: &Actor, filter: &LogFilter) -> AppResult<u64> {
    Ok(select(&sight(actor)?, filter)?.count(db).await?)
}

/// Every matching entry up to `limit`, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &LogFilter,
    limit: u64,
) -> AppResult<Vec<LogEntry>> {
    let models = select(&sight(actor)?, filter)?.limit(limit).all(db).await?;
    decorate(db, models).await
}

pub async fn get(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<LogEntry> {
    let m = entry::Entity::find_by_id(id)
        .filter(entries_in(&sight(actor)?))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(decorate(db, vec![m]).await?.remove(0))
}

/// An entry as typed or sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct LogInput {
    /// The shift the entry belongs to.
    #[serde(default)]
    pub shift_id: String,
    /// incoming_call | outgoing_call | rain | water | works | disaster | instruction | report | other
    #[serde(default)]
    pub kind: String,
    /// When it happened: `2026-06-01T09:30` (UTC+8) or RFC 3339.
    pub at: Option<String>,
    /// 来电单位/人.
    pub from_party: Option<String>,
    /// 去电/报送对象.
    pub to_party: Option<String>,
    #[serde(default)]
    pub content: String,
    /// Leave it open (待办) until closed.
    #[serde(default, deserialize_with = "platform::web::form::de_required_flag")]
    #[schema(value_type = bool)]
    pub open: bool,
}

fn refused(e: LogError) -> AppError {
    match e.field() {
        Some(f) => AppError::field(f, e.to_string()),
        None => AppError::conflict(e.code(), e.to_string()),
    }
}

async fn visible_shift(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> AppResult<Shift> {
    rosters::get_shift(db, actor, id).await
}

/// 记录: an entry in a shift the writer stands (or any, for the county's duty editors).
pub async fn create(state: &AppState, actor: &Actor, input: &LogInput) -> AppResult<LogEntry> {
    // Standing the shift is the right to write its log (the leader on duty records his
    // instructions), checked below; the county's duty editors may write any shift's.
    actor.require(perm::DUTY_VIEW)?;
    let mut errors = FieldErrors::new();
    let shift_id = Uuid::parse_str(input.shift_id.trim()).ok();
    if shift_id.is_none() {
        errors.insert("shift_id".into(), "请选择班次".into());
    }
    let kind = LogKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.insert("kind".into(), "请选择记录类型".into());
    }
    let at = match optional(&input.at) {
        None => {
            errors.insert("at".into(), "请填写时间".into());
            None
        }
        Some(t) => {
            let parsed = parse_time(&t);
            if parsed.is_none() {
                errors.insert("at".into(), "时间格式应为 2026-06-01 09:30".into());
            }
            parsed
        }
    };
    let from_party = text_field(
        &mut errors,
        "from_party",
        &input.from_party,
        100,
        "来电/来源",
    );
    let to_party = text_field(
        &mut errors,
        "to_party",
        &input.to_party,
        100,
        "去电/报送对象",
    );
    let content = input.content.trim().to_string();
    if content.is_empty() {
        errors.insert("content".into(), "请填写内容".into());
    } else if content.chars().count() > 5000 {
        errors.insert("content".into(), "内容不超过 5000 个字".into());
    }
    let (Some(shift_id), Some(kind), Some(at)) = (shift_id, kind, at) else {
        return Err(AppError::Validation(errors));
    };
    let s = visible_shift(&state.db, actor, shift_id).await?;
    let now = state.now();
    if let Err(e) = model::check_time(at, (s.starts_at, s.ends_at), &s.label, now) {
        errors.insert("at".into(), e.to_string());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if !(is_writer(actor) || s.has(actor.user_id)) {
        return Err(AppError::Forbidden);
    }
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    let inserted = entry::ActiveModel {
        period_id: Set(s.period_id),
        shift_id: Set(s.id),
        kind: Set(kind.code().into()),
        at: Set(at),
        from_party: Set(from_party),
        to_party: Set(to_party),
        content: Set(content),
        is_open: Set(input.open),
        closed_at: Set(None),
        closed_by: Set(None),
        outcome: Set(None),
        ..platform::db::new_record(id, s.region_code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    // The inserted row as written, decorated without reading it back.
    let created = decorate(&txn, vec![inserted]).await?.remove(0);
    let audit_entry = Entry::new("create", KIND_ENTRY, id, &s.region_code)
        .summary(format!(
            "值班记录（{}）{}：{}",
            created.kind_label(),
            created.at_local(),
            created.content.chars().take(60).collect::<String>()
        ))
        .after(&created);
    audit::record(&txn, actor, now, audit_entry).await?;
    txn.commit().await?;
    Ok(created)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CloseInput {
    /// 办理结果.
    #[serde(default)]
    pub outcome: String,
    pub version: i32,
}

/// Whether the actor stands a shift of this period running now.
async fn on_duty_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    period_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    Ok(assignment::Entity::find()
        .filter(assignment::Column::PeriodId.eq(period_id))
        .filter(assignment::Column::UserId.eq(actor.user_id))
        .filter(assignment::Column::StartsAt.lte(now))
        .filter(assignment::Column::EndsAt.gt(now))
        .count(db)
        .await?
        > 0)
}

/// 办结 an open matter, recording who, when and the outcome.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &CloseInput,
) -> AppResult<LogEntry> {
    actor.require(perm::DUTY_VIEW)?;
    let before = get(&state.db, actor, id).await?;
    let now = state.now();
    let allowed = is_writer(actor)
        || rosters::stands(&state.db, before.shift_id, actor.user_id).await?
        || on_duty_in(&state.db, actor, before.period_id, now).await?;
    if !allowed {
        return Err(AppError::Forbidden);
    }
    model::close(before.is_open, &input.outcome).map_err(refused)?;
    let outcome = input.outcome.trim().to_string();
    if outcome.chars().count() > 2000 {
        return Err(AppError::field("outcome", "办理结果不超过 2000 个字"));
    }
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        entry::Entity::update_many()
            .col_expr(entry::Column::IsOpen, Expr::value(false))
            .col_expr(entry::Column::ClosedAt, Expr::value(Some(now)))
            .col_expr(entry::Column::ClosedBy, Expr::value(Some(actor.user_id)))
            .col_expr(entry::Column::Outcome, Expr::value(Some(outcome.clone())))
            .filter(entry::Column::IsOpen.eq(true)),
        id,
        input.version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get(&txn, actor, id).await?;
    let audit_entry = Entry::new("duty.log.close", KIND_ENTRY, id, &after.region_code)
        .summary(format!("办结值班事项（{}）：{outcome}", after.kind_label()))
        .before(&before)
        .after(&after);
    audit::record(&txn, actor, now, audit_entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// 交接班, with the open matters as they were handed over.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Handover {
    pub id: Uuid,
    pub period_id: Uuid,
    pub from_shift_id: Uuid,
    pub from_shift_label: String,
    pub to_shift_id: Uuid,
    pub to_shift_label: String,
    pub note: String,
    pub open_entries: Vec<LogEntry>,
    pub outgoing_id: Option<Uuid>,
    pub outgoing_name: String,
    pub created_at: DateTime<Utc>,
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl Handover {
    pub fn created_local(&self) -> String {
        format_local(self.created_at)
    }

    pub fn confirmed_local(&self) -> String {
        self.confirmed_at.map(format_local).unwrap_or_default()
    }

    pub fn is_confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

async fn decorate_handover(db: &impl ConnectionTrait, m: handover::Model) -> AppResult<Handover> {
    let people: Vec<Uuid> = m.created_by.into_iter().chain(m.confirmed_by).collect();
    let names = platform::users::store::display_names(db, people).await?;
    let label = |id: Uuid| async move {
        Ok::<String, AppError>(match shift::Entity::find_by_id(id).one(db).await? {
            Some(s) => {
                let slot = Slot::parse(&s.slot).unwrap_or(Slot::Full);
                shift_label(s.day, slot, s.starts_at, s.ends_at)
            }
            None => String::new(),
        })
    };
    let open_entries: Vec<LogEntry> = serde_json::from_str(&m.open_entries)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("handover {}: {e}", m.id)))?;
    Ok(Handover {
        from_shift_label: label(m.from_shift_id).await?,
        to_shift_label: label(m.to_shift_id).await?,
        id: m.id,
        period_id: m.period_id,
        from_shift_id: m.from_shift_id,
        to_shift_id: m.to_shift_id,
        note: m.note,
        open_entries,
        outgoing_id: m.created_by,
        outgoing_name: m
            .created_by
            .and_then(|id| names.get(&id).cloned())
            .unwrap_or_default(),
        created_at: m.created_at,
        confirmed_by_name: m.confirmed_by.and_then(|id| names.get(&id).cloned()),
        confirmed_at: m.confirmed_at,
        version: m.version,
    })
}

/// One handover, if the reader may see it (its shifts are theirs, or the county's).
pub async fn get_handover(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<Handover> {
    let m = handover::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let visible = match sight(actor)? {
        Sight::Scope(scope) => scope.contains(&m.region_code),
        Sight::Own(me) => {
            rosters::stands(db, m.from_shift_id, me).await?
                || rosters::stands(db, m.to_shift_id, me).await?
        }
    };
    if !visible {
        return Err(AppError::NotFound);
    }
    decorate_handover(db, m).await
}

/// The handover leaving a shift, or arriving at one.
async fn handover_where(
    db: &impl ConnectionTrait,
    column: handover::Column,
    shift_id: Uuid,
) -> AppResult<Option<Handover>> {
    match handover::Entity::find()
        .filter(column.eq(shift_id))
        .one(db)
        .await?
    {
        Some(m) => Ok(Some(decorate_handover(db, m).await?)),
        None => Ok(None),
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct HandoverInput {
    /// The outgoing shift.
    #[serde(default)]
    pub shift_id: String,
    /// 交班说明.
    #[serde(default)]
    pub note: String,
}

/// 交班: someone standing the shift hands it to the next one, listing every open matter of
/// the period as it is now.
pub async fn hand_over(
    state: &AppState,
    actor: &Actor,
    input: &HandoverInput,
) -> AppResult<Handover> {
    actor.require(perm::DUTY_VIEW)?;
    let shift_id = Uuid::parse_str(input.shift_id.trim())
        .map_err(|_| AppError::field("shift_id", "请选择交班的班次"))?;
    let note = input.note.trim().to_string();
    if note.chars().count() > 5000 {
        return Err(AppError::field("note", "交班说明不超过 5000 个字"));
    }
    let s = visible_shift(&state.db, actor, shift_id).await?;
    if !s.has(actor.user_id) {
        return Err(refused(LogError::NotOutgoing));
    }
    let from = shift::Entity::find_by_id(shift_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let next = rosters::next_shift(&state.db, &from)
        .await?
        .ok_or_else(|| refused(LogError::NoNextShift))?;
    if handover::Entity::find()
        .filter(handover::Column::FromShiftId.eq(shift_id))
        .count(&state.db)
        .await?
        > 0
    {
        return Err(refused(LogError::AlreadyHandedOver));
    }
    let now = state.now();
    let txn = state.db.begin().await?;
    let open = decorate(
        &txn,
        entry::Entity::find()
            .filter(entry::Column::PeriodId.eq(s.period_id))
            .filter(entry::Column::IsOpen.eq(true))
            .filter(entry::Column::VoidedAt.is_null())
            .order_by_asc(entry::Column::At)
            .all(&txn)
            .await?,
    )
    .await?;
    let snapshot = serde_json::to_string(&open)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("handover snapshot: {e}")))?;
    let id = Uuid::now_v7();
    handover::ActiveModel {
        period_id: Set(s.period_id),
        from_shift_id: Set(shift_id),
        to_shift_id: Set(next.id),
        note: Set(note),
        open_entries: Set(snapshot),
        confirmed_by: Set(None),
        confirmed_at: Set(None),
        ..platform::db::new_record(id, s.region_code.clone(), Some(actor.user_id), now)
    }
    .insert(&txn)
    .await?;
    let created = decorate_handover(
        &txn,
        handover::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?,
    )
    .await?;
    let audit_entry = Entry::new("duty.handover", KIND_HANDOVER, id, &s.region_code)
        .summary(format!(
            "{} 交班：{} → {}，待办 {} 项",
            actor.display_name,
            created.from_shift_label,
            created.to_shift_label,
            created.open_entries.len()
        ))
        .after(&created);
    audit::record(&txn, actor, now, audit_entry).await?;
    txn.commit().await?;
    Ok(created)
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ConfirmInput {
    pub version: i32,
}

/// 确认接班: by someone standing the next shift, never the one who handed over.
pub async fn confirm(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    input: &ConfirmInput,
) -> AppResult<Handover> {
    actor.require(perm::DUTY_VIEW)?;
    let before = get_handover(&state.db, actor, id).await?;
    let next = visible_next(&state.db, before.to_shift_id).await?;
    model::check_confirm(
        actor.user_id,
        before.outgoing_id.unwrap_or_default(),
        &next.people(),
        &next.label,
        before.confirmed_at.map(format_local),
    )
    .map_err(refused)?;
    let now = state.now();
    let txn = state.db.begin().await?;
    platform::db::versioned_update(
        &txn,
        handover::Entity::update_many()
            .col_expr(
                handover::Column::ConfirmedBy,
                Expr::value(Some(actor.user_id)),
            )
            .col_expr(handover::Column::ConfirmedAt, Expr::value(Some(now)))
            .filter(handover::Column::ConfirmedAt.is_null()),
        id,
        input.version,
        actor.user_id,
        now,
    )
    .await?;
    let after = get_handover(&txn, actor, id).await?;
    let audit_entry = Entry::new(
        "duty.handover.confirm",
        KIND_HANDOVER,
        id,
        &next.region_code,
    )
    .summary(format!(
        "{} 确认接班：{}",
        actor.display_name, after.to_shift_label
    ))
    .before(&before)
    .after(&after);
    audit::record(&txn, actor, now, audit_entry).await?;
    txn.commit().await?;
    Ok(after)
}

/// The next shift with its people, read without the reader's scope: the rule itself says who
/// may confirm, and a stranger is told which shift confirms.
async fn visible_next(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Shift> {
    let m = shift::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = period::Entity::find_by_id(m.period_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(rosters::decorate(db, p.min_officers, vec![m])
        .await?
        .remove(0))
}

/// One running shift on the board.
pub struct BoardShift {
    pub period: rosters::Period,
    pub shift: Shift,
    pub entries: Vec<LogEntry>,
    pub open: Vec<LogEntry>,
    /// Handed over by this shift, if done.
    pub outgoing: Option<Handover>,
    /// Handed to this shift by the previous one, if done.
    pub incoming: Option<Handover>,
    pub next_label: Option<String>,
    /// The viewer stands this shift.
    pub mine: bool,
    /// The viewer may write its log.
    pub may_write: bool,
}

/// 今日值班: the shifts running now that the reader may see.
pub async fn board(state: &AppState, actor: &Actor) -> AppResult<Vec<BoardShift>> {
    let sight = sight(actor)?;
    let now = state.now();
    let scope = match &sight {
        Sight::Scope(scope) => scope.clone(),
        Sight::Own(_) => platform::access::Scope::of(&rosters::county_of(&actor.region_code)),
    };
    let mut out = Vec::new();
    for (period, m) in rosters::shifts_at(&state.db, &scope, now).await? {
        let shift = rosters::decorate(&state.db, period.min_officers, vec![m.clone()])
            .await?
            .remove(0);
        let mine = shift.has(actor.user_id);
        if matches!(sight, Sight::Own(_)) && !mine {
            continue;
        }
        let entries = decorate(
            &state.db,
            entry::Entity::find()
                .filter(entry::Column::ShiftId.eq(m.id))
                .filter(entry::Column::VoidedAt.is_null())
                .order_by_desc(entry::Column::At)
                .all(&state.db)
                .await?,
        )
        .await?;
        let open = decorate(
            &state.db,
            entry::Entity::find()
                .filter(entry::Column::PeriodId.eq(period.id))
                .filter(entry::Column::IsOpen.eq(true))
                .filter(entry::Column::VoidedAt.is_null())
                .order_by_asc(entry::Column::At)
                .all(&state.db)
                .await?,
        )
        .await?;
        let next_label = rosters::next_shift(&state.db, &m).await?.map(|n| {
            let slot = Slot::parse(&n.slot).unwrap_or(Slot::Full);
            shift_label(n.day, slot, n.starts_at, n.ends_at)
        });
        out.push(BoardShift {
            outgoing: handover_where(&state.db, handover::Column::FromShiftId, m.id).await?,
            incoming: handover_where(&state.db, handover::Column::ToShiftId, m.id).await?,
            may_write: mine || is_writer(actor),
            period,
            shift,
            entries,
            open,
            next_label,
            mine,
        });
    }
    Ok(out)
}

/// Handovers waiting for this actor to confirm.
pub async fn work_items(state: &AppState, actor: &Actor) -> AppResult<Vec<WorkItem>> {
    let mine = assignment::Entity::find()
        .select_only()
        .column(assignment::Column::ShiftId)
        .filter(assignment::Column::UserId.eq(actor.user_id))
        .into_query();
    let waiting = handover::Entity::find()
        .filter(handover::Column::ConfirmedAt.is_null())
        .filter(handover::Column::CreatedBy.ne(actor.user_id))
        .filter(handover::Column::ToShiftId.in_subquery(mine))
        .count(&state.db)
        .await?;
    Ok(match waiting {
        0 => Vec::new(),
        n => vec![WorkItem {
            title: format!("交接班待确认 {n} 件"),
            detail: "上一班已交班，请核对待办事项后确认接班".into(),
            href: "/duty/today".into(),
            urgent: true,
        }],
    })
}
