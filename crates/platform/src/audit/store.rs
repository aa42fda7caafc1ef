//! Searching the audit trail, always inside the auditor's region scope.

use chrono::{NaiveDate, TimeZone};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::entity::{Column, Entity, Model};
use crate::access::Scope;
use crate::clock::{china, format_local};
use crate::error::AppResult;
use crate::web::paging::{PageOf, Paging, fetch_page};

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct AuditFilter {
    /// Part of the actor's name.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub record_id: Option<String>,
    /// First day, `YYYY-MM-DD` (UTC+8).
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub id: uuid::Uuid,
    pub at: chrono::DateTime<chrono::Utc>,
    pub at_local: String,
    pub actor_id: Option<uuid::Uuid>,
    pub actor_name: String,
    pub action: String,
    pub action_label: String,
    pub entity: String,
    pub record_id: String,
    pub region_code: String,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
}

impl From<Model> for AuditRow {
    fn from(m: Model) -> Self {
        Self {
            at_local: format_local(m.at),
            action_label: super::action_label(&m.action),
            id: m.id,
            at: m.at,
            actor_id: m.actor_id,
            actor_name: m.actor_name,
            action: m.action,
            entity: m.entity,
            record_id: m.record_id,
            region_code: m.region_code,
            summary: m.summary,
            before: m.before,
            after: m.after,
            ip: m.ip,
        }
    }
}

fn day_start(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    china()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|t| t.with_timezone(&chrono::Utc))
}

fn select(scope: &Scope, filter: &AuditFilter) -> sea_orm::Select<Entity> {
    let mut q = Entity::find().filter(scope.condition(Column::RegionCode));
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(actor) = text(&filter.actor) {
        q = q.filter(Column::ActorName.contains(actor));
    }
    if let Some(action) = text(&filter.action) {
        q = q.filter(Column::Action.eq(action));
    }
    if let Some(entity) = text(&filter.entity) {
        q = q.filter(Column::Entity.eq(entity));
    }
    if let Some(record) = text(&filter.record_id) {
        q = q.filter(Column::RecordId.eq(record));
    }
    if let Some(from) = filter.from.as_deref().and_then(day_start) {
        q = q.filter(Column::At.gte(from));
    }
    if let Some(to) = filter.to.as_deref().and_then(day_start) {
        q = q.filter(Column::At.lt(to + chrono::Duration::days(1)));
    }
    q.order_by_desc(Column::At).order_by_desc(Column::Id)
}

pub async fn search(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &AuditFilter,
    paging: Paging,
) -> AppResult<PageOf<AuditRow>> {
    Ok(fetch_page(db, select(scope, filter), paging)
        .await?
        .map(AuditRow::from))
}

/// Every matching row up to `limit`, for export.
pub async fn all(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &AuditFilter,
    limit: u64,
) -> AppResult<Vec<AuditRow>> {
    Ok(select(scope, filter)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(AuditRow::from)
        .collect())
}

/// The trail of one record, oldest first (a record's history / timeline).
pub async fn history(
    db: &impl ConnectionTrait,
    scope: &Scope,
    entity: &str,
    record_id: &str,
) -> AppResult<Vec<AuditRow>> {
    Ok(Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::Entity.eq(entity))
        .filter(Column::RecordId.eq(record_id))
        .order_by_asc(Column::At)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(AuditRow::from)
        .collect())
}

/// How many rows of one action happened since `since`, inside scope.
pub async fn count_since(
    db: &impl ConnectionTrait,
    scope: &Scope,
    action: &str,
    since: chrono::DateTime<chrono::Utc>,
) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(Entity::find()
        .filter(scope.condition(Column::RegionCode))
        .filter(Column::Action.eq(action))
        .filter(Column::At.gte(since))
        .count(db)
        .await?)
}
