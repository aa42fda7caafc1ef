//! 登录与会话: passwords, login with lockout, server-side sessions with idle timeout, CSRF,
//! API bearer tokens, and the layer that turns a request into an [`Actor`].

pub mod account;
pub mod api;
pub mod entity;
pub mod layer;
pub mod login;
pub mod pages;
pub mod password;
pub mod tokens;

pub use layer::{MaybeActor, authenticate};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::access::{Actor, Role};
use crate::error::AppResult;
use entity::{user, user_role};

/// The roles a user holds, in a stable order; unknown codes in the table are ignored.
pub async fn roles_of(db: &impl ConnectionTrait, user_id: uuid::Uuid) -> AppResult<Vec<Role>> {
    let mut roles: Vec<Role> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role))
        .collect();
    roles.sort();
    Ok(roles)
}

/// Build the actor for a user row.
pub async fn actor_for(
    db: &impl ConnectionTrait,
    user: &user::Model,
    ip: Option<String>,
    csrf_token: Option<String>,
) -> AppResult<Actor> {
    let region_name = crate::regions::store::find(db, &user.region_code)
        .await?
        .map(|r| r.short_name)
        .unwrap_or_else(|| user.region_code.clone());
    Ok(Actor {
        user_id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        region_code: user.region_code.clone(),
        region_name,
        roles: roles_of(db, user.id).await?,
        department_id: user.department_id,
        must_change_password: user.must_change_password,
        ip,
        csrf_token,
    })
}

/// The actor of an account by its username (demo loaders and the command line act as a
/// named user); none when no such account exists.
pub async fn actor_named(db: &impl ConnectionTrait, username: &str) -> AppResult<Option<Actor>> {
    let Some(u) = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(actor_for(db, &u, None, None).await?))
}

/// Whether a user may act now: enabled and not inside a lockout.
pub fn is_usable(user: &user::Model, now: chrono::DateTime<chrono::Utc>) -> bool {
    user.enabled && user.locked_until.is_none_or(|until| until <= now)
}
