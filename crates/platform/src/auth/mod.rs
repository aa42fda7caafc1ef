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
        .map(|r| r.short_name);
    let roles = roles_of(db, user.id).await?;
    Ok(actor_of(user, region_name, roles, ip, csrf_token))
}

fn actor_of(
    user: &user::Model,
    region_name: Option<String>,
    roles: Vec<Role>,
    ip: Option<String>,
    csrf_token: Option<String>,
) -> Actor {
    Actor {
        user_id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        region_code: user.region_code.clone(),
        region_name: region_name.unwrap_or_else(|| user.region_code.clone()),
        roles,
        department_id: user.department_id,
        must_change_password: user.must_change_password,
        ip,
        csrf_token,
    }
}

/// The row a request names its user by (a session or an API token), the user, and what an
/// [`Actor`] adds to the user row: the region's short name and the roles.
pub struct Identified<K> {
    pub key: K,
    pub user: user::Model,
    region_name: Option<String>,
    roles: Vec<Role>,
}

impl<K> Identified<K> {
    pub fn actor(&self, ip: Option<String>, csrf_token: Option<String>) -> Actor {
        actor_of(
            &self.user,
            self.region_name.clone(),
            self.roles.clone(),
            ip,
            csrf_token,
        )
    }
}

/// The row of `K` that `key` selects, with its user (joined on `user_id`), the user's region
/// name and roles, in one statement — a row per role — instead of four: every request pays for
/// it (SQLite hands each statement to a worker thread, and the hand-offs are what a page costs).
pub async fn identify<K>(
    db: &impl ConnectionTrait,
    key: sea_orm::sea_query::SimpleExpr,
    user_id: K::Column,
) -> AppResult<Option<Identified<K::Model>>>
where
    K: sea_orm::EntityTrait,
    K::Model: sea_orm::FromQueryResult,
{
    use crate::regions::entity as region;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    use sea_orm::{FromQueryResult, IdenStatic, Iterable};
    let mut q = Query::select();
    q.from(K::default());
    for c in K::Column::iter() {
        q.expr_as(
            Expr::col((K::default(), c)),
            Alias::new(format!("k_{}", c.as_str())),
        );
    }
    for c in user::Column::iter() {
        q.expr_as(
            Expr::col((user::Entity, c)),
            Alias::new(format!("u_{}", c.as_str())),
        );
    }
    q.expr_as(
        Expr::col((region::Entity, region::Column::Name)),
        Alias::new("region_name"),
    )
    .expr_as(
        Expr::col((user_role::Entity, user_role::Column::Role)),
        Alias::new("role"),
    )
    .inner_join(
        user::Entity,
        Expr::col((user::Entity, user::Column::Id)).equals((K::default(), user_id)),
    )
    .left_join(
        region::Entity,
        Expr::col((region::Entity, region::Column::Code))
            .equals((user::Entity, user::Column::RegionCode)),
    )
    .left_join(
        user_role::Entity,
        Expr::col((user_role::Entity, user_role::Column::UserId))
            .equals((user::Entity, user::Column::Id)),
    )
    .and_where(key);
    let rows = db.query_all(&q).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<String>>("", "role").ok().flatten())
        .filter_map(|code| Role::parse(&code))
        .collect();
    roles.sort();
    roles.dedup();
    Ok(Some(Identified {
        key: K::Model::from_query_result(first, "k_")?,
        user: user::Model::from_query_result(first, "u_")?,
        region_name: first
            .try_get::<Option<String>>("", "region_name")?
            .map(|name| crate::regions::model::short_name(&name)),
        roles,
    }))
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
