//! 站内消息: the inbox is the outbox's `inbox` rows addressed to a user.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entity::message::{self, Column, Entity};
use crate::error::AppResult;
use crate::web::paging::{PageOf, Paging, fetch_page};

fn mine(user_id: Uuid) -> sea_orm::Select<Entity> {
    Entity::find()
        .filter(Column::Channel.eq(super::ChannelKind::Inbox.code()))
        .filter(Column::RecipientUserId.eq(user_id))
}

/// Shown in every page's top bar.
pub async fn unread_count<C: ConnectionTrait>(db: &C, user_id: Uuid) -> AppResult<u64> {
    Ok(mine(user_id)
        .filter(Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Newest first; unread and read alike.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    unread_only: bool,
    paging: Paging,
) -> AppResult<PageOf<message::Model>> {
    let mut q = mine(user_id);
    if unread_only {
        q = q.filter(Column::ReadAt.is_null());
    }
    let q = q.order_by_desc(Column::CreatedAt).order_by_desc(Column::Id);
    fetch_page(db, q, paging).await
}

/// One of the user's messages, marked read on first opening.
pub async fn open<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Option<message::Model>> {
    let Some(mut found) = mine(user_id).filter(Column::Id.eq(id)).one(db).await? else {
        return Ok(None);
    };
    if found.read_at.is_none() {
        Entity::update_many()
            .col_expr(Column::ReadAt, Expr::value(Some(now)))
            .filter(Column::Id.eq(id))
            .filter(Column::ReadAt.is_null())
            .exec(db)
            .await?;
        found.read_at = Some(now);
    }
    Ok(Some(found))
}

/// Mark every unread message of the user read; returns how many.
pub async fn read_all<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let done = Entity::update_many()
        .col_expr(Column::ReadAt, Expr::value(Some(now)))
        .filter(Column::Channel.eq(super::ChannelKind::Inbox.code()))
        .filter(Column::RecipientUserId.eq(user_id))
        .filter(Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}
