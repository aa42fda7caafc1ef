//! Searching messages for the delivery list, inside the reader's scope.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entity::message::{Column, Entity, Model};
use crate::access::Scope;
use crate::error::AppResult;
use crate::web::paging::{PageOf, Paging, fetch_page};

/// Network and inbox messages alike, newest first.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    channel: Option<&str>,
    state: Option<&str>,
    text: Option<&str>,
    paging: Paging,
) -> AppResult<PageOf<Model>> {
    let mut q = Entity::find().filter(scope.condition(Column::RegionCode));
    if let Some(c) = channel.filter(|c| !c.is_empty()) {
        q = q.filter(Column::Channel.eq(c));
    }
    if let Some(s) = state.filter(|s| !s.is_empty()) {
        q = q.filter(Column::State.eq(s));
    }
    if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
        q = q.filter(
            Condition::any()
                .add(Column::RecipientName.contains(t))
                .add(Column::Title.contains(t))
                .add(Column::Address.contains(t)),
        );
    }
    let q = q.order_by_desc(Column::CreatedAt).order_by_desc(Column::Id);
    fetch_page(db, q, paging).await
}

pub async fn find_in_scope<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    id: Uuid,
) -> AppResult<Option<Model>> {
    Ok(Entity::find_by_id(id)
        .filter(scope.condition(Column::RegionCode))
        .one(db)
        .await?)
}

/// Every message a record caused (e.g. one 叫应 call), oldest first.
pub async fn of_source<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    ids: Vec<Uuid>,
) -> AppResult<Vec<Model>> {
    Ok(Entity::find()
        .filter(Column::SourceKind.eq(kind))
        .filter(Column::SourceId.is_in(ids))
        .order_by_asc(Column::CreatedAt)
        .all(db)
        .await?)
}
