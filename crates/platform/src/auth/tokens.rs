//! API bearer tokens: shown once at creation, stored as SHA-256, revocable, scoped like their user.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;
use uuid::Uuid;

use super::entity::api_token;
use super::password;
use crate::access::Actor;
use crate::audit::{self, Entry};
use crate::clock::format_local;
use crate::error::{AppError, AppResult};
use crate::web::AppState;

const TOKEN_PREFIX: &str = "yj_";

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: Uuid,
    pub name: String,
    /// The first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

impl From<api_token::Model> for TokenInfo {
    fn from(m: api_token::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            prefix: m.prefix,
            created_at: format_local(m.created_at),
            last_used_at: m.last_used_at.map(format_local),
            revoked: m.revoked_at.is_some(),
        }
    }
}

/// A new token: its secret (shown once) and its record.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NewToken {
    pub token: String,
    pub info: TokenInfo,
}

pub fn parse_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(AppError::field("name", "令牌名称为 1–50 个字"));
    }
    Ok(name.to_string())
}

pub async fn create(state: &AppState, actor: &Actor, name: &str) -> AppResult<NewToken> {
    let name = parse_name(name)?;
    let secret = format!("{TOKEN_PREFIX}{}", password::random_token());
    let now = state.now();
    let txn = state.db.begin().await?;
    let model = api_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(actor.user_id),
        name: Set(name.clone()),
        token_hash: Set(password::sha256_hex(&secret)),
        prefix: Set(secret.chars().take(10).collect()),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let entry = Entry::new("token.create", "api_token", model.id, &actor.region_code)
        .summary(format!("创建 API 令牌「{name}」"));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(NewToken {
        token: secret,
        info: model.into(),
    })
}

pub async fn list_own(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<TokenInfo>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(actor.user_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(TokenInfo::from)
        .collect())
}

/// Revoke one of the actor's own tokens. Someone else's token answers 404.
pub async fn revoke(state: &AppState, actor: &Actor, id: Uuid) -> AppResult<TokenInfo> {
    let now = state.now();
    let txn = state.db.begin().await?;
    let found = api_token::Entity::find_by_id(id)
        .filter(api_token::Column::UserId.eq(actor.user_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if found.revoked_at.is_some() {
        return Ok(found.into());
    }
    let mut active = found.into_active_model();
    active.revoked_at = Set(Some(now));
    let model = active.update(&txn).await?;
    let entry = Entry::new("token.revoke", "api_token", id, &actor.region_code)
        .summary(format!("吊销 API 令牌「{}」", model.name));
    audit::record(&txn, actor, now, entry).await?;
    txn.commit().await?;
    Ok(model.into())
}

/// The token and its user behind a bearer secret, if the token is live and the user usable.
pub async fn resolve(
    state: &AppState,
    secret: &str,
) -> AppResult<Option<super::Identified<api_token::Model>>> {
    if !secret.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(found) = super::identify::<api_token::Entity>(
        &state.db,
        sea_orm::sea_query::ExprTrait::and(
            api_token::Column::TokenHash.eq(password::sha256_hex(secret)),
            api_token::Column::RevokedAt.is_null(),
        ),
        api_token::Column::UserId,
    )
    .await?
    else {
        return Ok(None);
    };
    let now = state.now();
    if !super::is_usable(&found.user, now) {
        return Ok(None);
    }
    if found
        .key
        .last_used_at
        .is_none_or(|t| now - t > chrono::Duration::minutes(1))
    {
        let mut active = found.key.clone().into_active_model();
        active.last_used_at = Set(Some(now));
        active.update(&state.db).await?;
    }
    Ok(Some(found))
}
