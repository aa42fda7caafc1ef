//! The queries behind the figures: counts through the lists' own filters (so a figure is the
//! list's total by construction), and the 叫应 calls of the warnings counted.

use std::collections::HashMap;

use platform::access::Actor;
use platform::error::AppResult;
use platform::web::paging::Paging;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::model::CallFact;
use crate::consultations::store::{self as consultations, ConsultationFilter};
use crate::warnings::entity::warning;
use crate::warnings::policies;
use crate::warnings::store::{self as warnings, WarningFilter};
use platform::calls::entity as call;

/// How many warnings the list shows for `filter`.
pub async fn count_warnings(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &WarningFilter,
) -> AppResult<u64> {
    Ok(warnings::select(actor, filter)?.count(db).await?)
}

/// The warnings the list shows for `filter`, all of them.
pub async fn warnings_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &WarningFilter,
) -> AppResult<Vec<warning::Model>> {
    Ok(warnings::select(actor, filter)?.all(db).await?)
}

/// How many reports the consultations list shows for `filter`.
pub async fn count_consultations(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &ConsultationFilter,
) -> AppResult<u64> {
    let one = Paging {
        page: Some(1),
        per_page: Some(1),
    };
    Ok(consultations::list(db, actor, filter, one).await?.total)
}

/// Every 叫应 call of these warnings, with the time limit of each warning's level.
pub async fn calls_of(
    db: &impl ConnectionTrait,
    warnings: &[warning::Model],
) -> AppResult<Vec<CallFact>> {
    let limits: HashMap<i32, i32> = policies::all(db)
        .await?
        .into_iter()
        .map(|p| (i32::from(p.level), p.ack_minutes))
        .collect();
    let level_of: HashMap<uuid::Uuid, i32> = warnings.iter().map(|w| (w.id, w.level)).collect();
    let ids: Vec<uuid::Uuid> = level_of.keys().copied().collect();
    let mut out = Vec::new();
    // Bound variables stay well under SQLite's limit.
    for chunk in ids.chunks(500) {
        let rows = call::Entity::find()
            .filter(call::Column::SubjectId.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|c| {
            let level = level_of.get(&c.subject_id).copied().unwrap_or(4);
            CallFact {
                // Every level has a policy (its default when never saved).
                ack_minutes: limits.get(&level).copied().unwrap_or(60),
                id: c.id,
                region_code: c.region_code,
                wave: c.wave,
                state: c.state,
                first_sent_at: c.first_sent_at,
                confirmed_at: c.confirmed_at,
                escalated_from: c.escalated_from,
            }
        }));
    }
    Ok(out)
}
