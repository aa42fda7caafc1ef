//! Calls as the live pages show them, and their counts.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use uuid::Uuid;

use super::entity::{Column, Entity, Model as Call};
use super::model::{call_state, wave};
use crate::contacts;
use crate::error::AppResult;

/// A call as the live page shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CallRow {
    pub id: Uuid,
    /// The warning or dispatch asked about.
    pub subject_id: Uuid,
    pub name: String,
    pub role: String,
    pub role_label: &'static str,
    pub region_code: String,
    pub mobile: Option<String>,
    pub wave: i32,
    /// For an escalation: the silent call it is about.
    pub escalated_from: Option<Uuid>,
    pub about: Option<String>,
    pub state: String,
    pub state_label: &'static str,
    pub cycle: i32,
    pub first_sent_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_via: Option<String>,
    pub escalated_at: Option<DateTime<Utc>>,
    /// Minutes from the first delivery to the confirmation.
    pub minutes_to_confirm: Option<i64>,
    /// The answer given with the confirmation, when the subject asks questions.
    #[schema(value_type = Option<Object>)]
    pub answer: Option<serde_json::Value>,
}

impl From<Call> for CallRow {
    fn from(c: Call) -> Self {
        Self {
            role_label: contacts::role_label(&c.role),
            state_label: call_state::label(&c.state),
            minutes_to_confirm: c
                .confirmed_at
                .map(|at| (at - c.first_sent_at).num_minutes()),
            answer: c
                .answer
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok()),
            id: c.id,
            subject_id: c.subject_id,
            name: c.name,
            role: c.role,
            region_code: c.region_code,
            mobile: c.mobile,
            wave: c.wave,
            escalated_from: c.escalated_from,
            about: c.about,
            state: c.state,
            cycle: c.cycle,
            first_sent_at: c.first_sent_at,
            due_at: c.due_at,
            confirmed_at: c.confirmed_at,
            confirmed_via: c.confirmed_via,
            escalated_at: c.escalated_at,
        }
    }
}

pub(super) fn via_label(via: Option<&str>) -> &'static str {
    match via {
        Some("app") => "平台内",
        Some("link") => "消息链接",
        _ => "",
    }
}

impl CallRow {
    pub fn sent_local(&self) -> String {
        crate::clock::format_local(self.first_sent_at)
    }

    pub fn confirmed_local(&self) -> String {
        self.confirmed_at
            .map(crate::clock::format_local)
            .unwrap_or_default()
    }

    pub fn tone(&self) -> &'static str {
        call_state::tone(&self.state)
    }

    pub fn wave_label(&self) -> &'static str {
        wave::label(self.wave)
    }

    pub fn via_label(&self) -> &'static str {
        via_label(self.confirmed_via.as_deref())
    }
}

/// Every call of a subject: by wave, then region and name.
pub async fn of_subject(db: &impl ConnectionTrait, subject_id: Uuid) -> AppResult<Vec<CallRow>> {
    Ok(Entity::find()
        .filter(Column::SubjectId.eq(subject_id))
        .order_by_asc(Column::Wave)
        .order_by_asc(Column::RegionCode)
        .order_by_asc(Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(CallRow::from)
        .collect())
}

/// Every call of many subjects (a season of dispatches), in chunks the databases accept.
pub async fn of_subjects(db: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<CallRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            Entity::find()
                .filter(Column::SubjectId.is_in(chunk.to_vec()))
                .order_by_asc(Column::Wave)
                .order_by_asc(Column::RegionCode)
                .order_by_asc(Column::Name)
                .all(db)
                .await?
                .into_iter()
                .map(CallRow::from),
        );
    }
    Ok(out)
}

/// Counts for a subject's page header and the leader's home page.
#[derive(Clone, Copy, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub asked: usize,
    pub confirmed: usize,
    pub pending: usize,
    pub unreachable: usize,
}

pub fn tally(rows: &[CallRow]) -> Tally {
    let count = |s: &str| rows.iter().filter(|r| r.state == s).count();
    Tally {
        asked: rows.len(),
        confirmed: count(call_state::CONFIRMED),
        pending: count(call_state::PENDING),
        unreachable: count(call_state::UNREACHABLE),
    }
}
